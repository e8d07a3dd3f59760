"""The worker is a daemon: the program stops it when the main module ends, and lines are lost.

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
    process = multiprocessing.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    return process
