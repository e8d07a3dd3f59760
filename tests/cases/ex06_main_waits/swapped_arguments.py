"""The arguments reach work in the wrong order.

Expect: wrong_arguments
Check: test_worker_is_a_normal_process
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(delay, num))
    process.start()
    return process
