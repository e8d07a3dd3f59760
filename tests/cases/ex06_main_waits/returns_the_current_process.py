"""start_worker starts the worker but returns multiprocessing.current_process(), the calling
process, for "return the process".

Expect: returned_another_process
Check: test_start_worker_returns_at_once
"""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_worker(num, delay):
    worker = multiprocessing.Process(target=work, args=(num, delay))
    worker.start()
    return multiprocessing.current_process()
