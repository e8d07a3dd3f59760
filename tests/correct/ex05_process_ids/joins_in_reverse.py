"""Starts them all, then joins them from the last to the first, waiting on sentinels for the rest."""
import multiprocessing
import multiprocessing.connection
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    if processes:  # start_reporters(0) starts none
        processes[-1].join()
    waiting = [p.sentinel for p in processes[:-1]]
    while waiting:
        ready = multiprocessing.connection.wait(waiting)
        waiting = [s for s in waiting if s not in ready]
    for process in processes:
        process.join()
    return processes
