"""start_worker returns the process without starting it.

Expect: never_started
Check: test_worker_is_a_normal_process
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    return multiprocessing.Process(target=work, args=(num, delay))
