"""Polls multiprocessing.active_children() until none is left.
"""
import multiprocessing
import os
import time


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = []
    for i in range(count):
        processes.append(multiprocessing.Process(target=report_ids, args=(f"child-{i}",)))
        processes[-1].start()
    while multiprocessing.active_children():
        time.sleep(0.01)
    return processes
