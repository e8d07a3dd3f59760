"""exitcode read without join(): None, the child is still running.

Expect: missing_join
Check: test_returns_the_exit_code
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    return process.exitcode
