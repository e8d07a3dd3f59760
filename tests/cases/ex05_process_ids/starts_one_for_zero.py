"""start_reporters starts at least one process, even for count 0 (range(max(count, 1))).

Expect: reporters_for_none
Check: test_start_reporters_with_one_and_none
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(max(count, 1))]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return processes
