"""Reports a failed task as -1, a code of its own, instead of the child's exit code 1.

Expect: wrong_exit_code
Check: test_returns_1_when_the_task_raises
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    return -1 if process.exitcode == 1 else process.exitcode
