"""run() instead of start(): work runs in the main process.

Expect: ran_via_run
Check: test_worker_is_a_normal_process
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.run()
    return process
