"""The work goes to a Pool, whose workers are daemons: stopped when the program ends.

Expect: daemon_worker
Check: test_worker_is_a_normal_process
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    pool = multiprocessing.Pool(1)
    pool.apply_async(work, (num, delay))
    return pool
