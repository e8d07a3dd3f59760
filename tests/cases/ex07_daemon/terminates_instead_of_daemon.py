"""A normal process that the program terminate()s at exit, the tutorial's second way, where the
exercise asks for a daemon.

Expect: terminated_not_daemon
Check: test_worker_is_a_daemon
"""
import atexit
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    atexit.register(process.terminate)
    return process
