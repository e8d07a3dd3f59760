"""Joins with a short timeout, then, while the task still runs, sleeps between polls until it has ended."""
import multiprocessing
import time


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join(0.05)
    while process.is_alive():
        time.sleep(0.01)
    return process.exitcode
