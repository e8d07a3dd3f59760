"""The work goes to a Pool (its workers are daemons), and the pool is returned, not a process.

Expect: not_a_process
Check: test_start_daemon_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    pool = multiprocessing.Pool(1)
    pool.apply_async(work, (num, delay))
    return pool
