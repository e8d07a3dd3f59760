"""Waits for the child and reads exitcode, but never returns it.

Expect: returned_none
Check: test_returns_the_exit_code
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    process.exitcode
