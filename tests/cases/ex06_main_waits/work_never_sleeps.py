"""work prints every line at once, with no pause between.

Expect: lines_too_close
Check: test_work_prints
"""
import multiprocessing


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    return process
