"""The daemon is started but not returned.

Expect: returned_nothing
Check: test_start_daemon_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    multiprocessing.Process(target=work, args=(num, delay), daemon=True).start()
