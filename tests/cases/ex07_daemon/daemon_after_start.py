"""daemon is set after start(): multiprocessing raises AssertionError, and the worker is a normal process.

Expect: daemon_set_too_late
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
    process.daemon = True
    return process
