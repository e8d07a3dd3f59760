"""A daemon, but joined before it is returned: the caller waits for all of the work.

Expect: joined_inside
Check: test_start_daemon_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    process.join()
    return process
