"""start_worker calls work itself instead of starting a process.

Expect: ran_directly
Check: test_worker_is_a_normal_process
"""
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    work(num, delay)
