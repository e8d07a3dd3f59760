"""A daemon, but the program leaves with os._exit() at exit, before multiprocessing stops its
daemons: the worker goes on after the program has gone.

Expect: daemon_outlived_program
Check: test_daemon_stops_with_the_program
"""
import atexit
import multiprocessing
import os
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    atexit.register(os._exit, 0)
    return process
