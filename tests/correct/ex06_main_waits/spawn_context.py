"""A process from an explicit spawn context, with a partial as its target and a name of its own."""
import functools
import multiprocessing
import time


def work(num, delay):
    for i in range(num):
        print("工作中。。。。", i + 1, flush=True)
        time.sleep(delay)


def start_worker(num, delay):
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=functools.partial(work, num, delay), name="worker")
    process.start()
    return process
