"""A daemon, but start_daemon_worker sleeps a while before returning it "to let it work".

Expect: slept_inside
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
    time.sleep(3 * delay)
    return process
