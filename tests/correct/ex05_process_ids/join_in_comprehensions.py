"""Starts and joins with list comprehensions.
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    [process.start() for process in processes]
    [process.join() for process in processes]
    return processes
