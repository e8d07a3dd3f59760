"""A daemon from the default context; the program gives it a moment at exit (a join with a
timeout) before multiprocessing stops it: it is still stopped mid-work."""
import atexit
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_daemon_worker(num, delay):
    context = multiprocessing.get_context()
    process = context.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    atexit.register(process.join, 0.2)
    return process
