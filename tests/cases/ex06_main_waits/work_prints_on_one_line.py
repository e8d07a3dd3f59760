"""work prints its word num times with end="": every one glued onto a single line.

Expect: lines_glued
Check: test_work_prints
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", end="", flush=True)
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    return process
