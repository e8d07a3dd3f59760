"""Waits by polling is_alive() instead of join(), then closes the process after reading its exit code."""
import multiprocessing
import time


def run_in_new_process(task):
    process = multiprocessing.Process(target=task, daemon=True)
    process.start()
    while process.is_alive():
        time.sleep(0.001)
    code = process.exitcode
    process.close()
    return code
