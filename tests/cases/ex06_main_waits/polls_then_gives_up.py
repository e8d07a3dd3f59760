"""start_worker checks is_alive() a few times, sleeping between, and gives up: a bounded wait.

Expect: slept_inside
Check: test_start_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    for _ in range(5):
        if not process.is_alive():
            break
        time.sleep(delay)
    return process
