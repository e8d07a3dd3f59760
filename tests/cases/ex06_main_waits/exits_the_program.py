"""start_worker ends the program itself right after starting the worker.

Expect: program_died
Check: test_worker_is_a_normal_process
"""
import multiprocessing
import os
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    os._exit(0)
