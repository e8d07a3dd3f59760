"""A daemon, waited for with join(timeout) before it is returned.

Expect: joined_with_timeout
Check: test_start_daemon_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    process.join(0.3)
    return process
