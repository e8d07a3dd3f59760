"""Joins with a short timeout in a loop until the child has ended: a wait that never gives up.
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    while process.exitcode is None:
        process.join(0.05)
    return process.exitcode
