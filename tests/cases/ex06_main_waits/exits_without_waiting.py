"""At exit, the program leaves at once with os._exit(), skipping the wait for its children: the
worker is orphaned and prints the rest of its lines after the program has gone.

Expect: lines_lost
Check: test_program_waits_for_the_worker
"""
import atexit
import multiprocessing
import os
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    atexit.register(os._exit, 0)
    return process
