"""Waits on the task's sentinel with a timeout of 1 s: a task that needs longer is still running when its
exit code (None) is returned.

Expect: join_gave_up
Check: test_returns_the_exit_code
"""
import multiprocessing
from multiprocessing.connection import wait


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    wait([process.sentinel], 1)
    return process.exitcode
