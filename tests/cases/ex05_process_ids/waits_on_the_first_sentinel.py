"""Starts every reporter, waits on the first one's sentinel only.

Expect: reporters_not_joined
Check: test_start_reporters_waits_for_all
"""
import multiprocessing
import multiprocessing.connection
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    multiprocessing.connection.wait([processes[0].sentinel])
    return processes
