"""Polls any(is_alive()) over the list until none is alive (any() stops at the first alive one).
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
    while any(process.is_alive() for process in processes):
        time.sleep(0.005)
    return processes
