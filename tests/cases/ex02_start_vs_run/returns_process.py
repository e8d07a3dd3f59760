"""Returns the Process object instead of its exit code.

Expect: returned_process
Check: test_returns_the_exit_code
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    return process
