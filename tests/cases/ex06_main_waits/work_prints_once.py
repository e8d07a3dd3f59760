"""work prints its line once, whatever num is.

Expect: wrong_count
Check: test_work_prints
"""
import multiprocessing
import time


def work(num, delay):
    print("工作中。。。。")
    time.sleep(num * delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    return process
