"""Starts every reporter but joins only the last one (the loop variable left over after the loop).

Expect: reporters_not_joined
Check: test_start_reporters_waits_for_all
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
        processes.append(process)
    process.join()
    return processes
