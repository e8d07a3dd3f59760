"""Mutants of the solution: print without flush=True, and each pause before its line instead of
after it (the lines still come delay apart, num of them)."""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        time.sleep(delay)
        print("工作中。。。。")


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    return process
