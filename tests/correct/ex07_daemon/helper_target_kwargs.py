"""A helper target calling work with keyword arguments; the stdout is never flushed by the worker."""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", end="\n")
        time.sleep(delay)


def _job(**settings):
    work(**settings)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=_job, kwargs=dict(num=num, delay=delay), daemon=True, name="daemon-worker")
    process.start()
    return process
