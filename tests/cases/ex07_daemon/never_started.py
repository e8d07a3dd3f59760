"""The daemon process is made but never started.

Expect: never_started
Check: test_worker_is_a_daemon
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    return multiprocessing.Process(target=work, args=(num, delay), daemon=True)
