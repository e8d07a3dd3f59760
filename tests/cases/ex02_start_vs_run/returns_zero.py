"""Waits, then returns a fixed 0 instead of the exit code.

Expect: wrong_exit_code
Check: test_returns_the_exit_code
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    return 0
