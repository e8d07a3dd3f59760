"""start_worker waits for the worker without join(): a loop until it is no longer alive.

Expect: waited_inside
Check: test_start_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    while process.is_alive():
        time.sleep(0.01)
    return process
