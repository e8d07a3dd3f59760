"""start_worker arranges, as the tutorial's second way for daemons does, to terminate() the worker
when the main program ends: a normal worker should be waited for, not stopped.

Expect: lines_lost
Check: test_program_waits_for_the_worker
"""
import atexit
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    atexit.register(process.terminate)
    return process
