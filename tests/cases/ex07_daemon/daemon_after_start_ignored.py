"""daemon is set after start(), and the AssertionError is swallowed: the worker stays a normal process.

Expect: not_a_daemon
Check: test_worker_is_a_daemon
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    try:
        process.daemon = True
    except AssertionError:
        pass
    return process
