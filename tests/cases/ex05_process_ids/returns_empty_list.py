"""start_reporters starts and joins its processes but never appends them to the list it returns.

Expect: returned_empty
Check: test_start_reporters_returns_the_processes
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = []
    started = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in started:
        process.start()
    for process in started:
        process.join()
    return processes
