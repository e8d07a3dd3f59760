"""daemon set as an attribute before start(), on a process from an explicit forkserver context (where there is one)."""
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
    process = context.Process(target=work, args=(num, delay))
    process.daemon = True
    process.start()
    return process
