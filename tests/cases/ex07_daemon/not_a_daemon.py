"""A normal process: the program waits for all of its work instead of stopping it.

Expect: not_a_daemon
Check: test_worker_is_a_daemon
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    return process
