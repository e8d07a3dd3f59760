"""Starts every reporter, then polls the first one's is_alive() until it has ended, and returns.

Expect: reporters_not_joined
Check: test_start_reporters_waits_for_all
"""
import multiprocessing
import os
import time


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    while processes[0].is_alive():
        time.sleep(0.005)
    return processes
