"""start_worker waits for the worker with join(timeout): a wait shorter than the work is still a wait.

Expect: joined_with_timeout
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
    process.join(timeout=num * delay / 2)
    return process
