"""Sleeps a moment instead of joining: on an idle machine the children are usually done by then.

Expect: reporters_not_joined
Check: test_start_reporters_waits_for_all
"""
import multiprocessing
import os
import time


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    time.sleep(0.5)
    return processes
