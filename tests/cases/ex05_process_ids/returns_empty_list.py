"""start_reporters never appends to the list it returns.

Expect: returned_empty
Check: test_start_reporters_returns_the_processes
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        process.join()
    return processes
