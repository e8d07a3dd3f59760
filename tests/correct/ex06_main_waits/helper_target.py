"""The process runs a helper of the module's own, which calls work; kwargs, daemon=False spelled out, no flush."""
import multiprocessing
import sys
import time


def work(num, delay):
    count = 0
    while count < num:
        sys.stdout.write("工作中。。。。\n")
        count += 1
        time.sleep(delay)


def _job(num, delay):
    work(num=num, delay=delay)


def start_worker(num, delay):
    process = multiprocessing.Process(target=_job, kwargs={"num": num, "delay": delay}, daemon=False)
    process.start()
    return process
