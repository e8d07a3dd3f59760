"""Joins each process with a short timeout in a loop until it has ended: a wait that never gives up.
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    for process in processes:
        while process.is_alive():
            process.join(0.05)
    return processes
