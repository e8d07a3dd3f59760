"""Sleeps instead of joining, then reads exitcode: on an idle machine the task is usually done by then.

Expect: missing_join
Check: test_returns_the_exit_code
"""
import multiprocessing
import time


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    time.sleep(0.3)
    return process.exitcode
