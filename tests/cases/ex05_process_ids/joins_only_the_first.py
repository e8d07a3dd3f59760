"""Starts every reporter but joins only the first one.

Expect: reporters_not_joined
Check: test_start_reporters_waits_for_all
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    processes[0].join()
    return processes
