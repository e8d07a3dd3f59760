"""Starts a reporter and polls it until it has ended before starting the next: one at a time.

Expect: reporters_one_at_a_time
Check: test_start_reporters_starts_all_before_waiting
"""
import multiprocessing
import os
import time


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        while process.exitcode is None:
            time.sleep(0.005)
        processes.append(process)
    return processes
