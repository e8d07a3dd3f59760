"""start_worker starts the worker but forgets to return it.

Expect: returned_nothing
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
