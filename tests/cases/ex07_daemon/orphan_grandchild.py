"""The daemon forks a helper of its own that outlives it: the program leaves a process behind.

Expect: left_behind
Check: test_daemon_stops_with_the_program
"""
import multiprocessing
import os
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


def _launch(num, delay):
    if os.fork() == 0:  # a "heartbeat" helper that nobody stops
        time.sleep(60)
        os._exit(0)
    work(num, delay)


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=_launch, args=(num, delay), daemon=True)
    process.start()
    return process
