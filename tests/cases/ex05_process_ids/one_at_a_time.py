"""Starts and joins each reporter in turn: every process has ended before it returns, but one at a time.

Expect: reporters_one_at_a_time
Check: test_start_reporters_starts_all_before_waiting
"""
import multiprocessing
import os


def report_ids(label):
    print(label, f"pid={os.getpid()}", f"ppid={os.getppid()}")


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, kwargs={"label": "child-" + str(i)})
        process.start()
        process.join()
        processes.append(process)
    return processes
