"""Waits on every sentinel with multiprocessing.connection.wait; no join().
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
    waiting = [process.sentinel for process in processes]
    while waiting:
        ready = multiprocessing.connection.wait(waiting)
        waiting = [sentinel for sentinel in waiting if sentinel not in ready]
    return processes
