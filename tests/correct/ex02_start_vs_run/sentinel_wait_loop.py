"""Waits on the task's sentinel half a second at a time until it is ready, then joins the ended process."""
import multiprocessing
from multiprocessing.connection import wait


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    while not wait([process.sentinel], 0.5):
        pass
    process.join()
    return process.exitcode
