"""start_worker also has the program wait for the worker at exit, in a loop of short joins until it
has ended (the interpreter would have waited anyway); work sleeps with `from time import sleep`."""
import atexit
import multiprocessing
from time import sleep


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        sleep(delay)


def _wait_for(process):
    while process.is_alive():
        process.join(0.05)


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    atexit.register(_wait_for, process)
    return process
