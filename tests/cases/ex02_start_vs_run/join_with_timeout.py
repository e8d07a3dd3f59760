"""Joins with a timeout of 1 s: a task that needs longer is still running when its exit code (None) is returned.

Expect: join_gave_up
Check: test_returns_the_exit_code
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join(1)
    return process.exitcode
