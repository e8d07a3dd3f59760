"""A daemon, but start_daemon_worker also has the program join it at exit (atexit): the program
waits for all of the daemon's work instead of stopping it.

Expect: not_stopped
Check: test_daemon_stops_with_the_program
"""
import atexit
import multiprocessing
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    atexit.register(process.join)
    return process
