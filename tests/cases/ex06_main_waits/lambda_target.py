"""A lambda as the target: under spawn and forkserver it cannot be sent to the new process.

Expect: cannot_pickle
Check: test_worker_is_a_normal_process
Methods: spawn forkserver
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=lambda: work(num, delay))
    process.start()
    return process
