"""At exit, start_worker's program gives the worker half a second to finish, then terminate()s it:
a join with a timeout is not waiting for the work, however short the work happens to be.

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


def _give_up_on(process):
    process.join(0.5)
    process.terminate()


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    atexit.register(_give_up_on, process)
    return process
