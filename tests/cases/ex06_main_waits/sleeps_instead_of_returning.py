"""start_worker sleeps for the length of the work before returning ("so that it has finished"):
waiting by the clock instead of returning at once.

Expect: slept_inside
Check: test_start_worker_returns_at_once
"""
import multiprocessing
from time import sleep


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    sleep(num * delay)
    return process
