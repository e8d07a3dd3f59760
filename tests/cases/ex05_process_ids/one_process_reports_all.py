"""start_reporters starts a single child that calls report_ids for every label.

Expect: reporters_share_processes
Check: test_start_reporters_runs_each_label_in_a_process
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def report_all(count):
    for i in range(count):
        report_ids(f"child-{i}")


def start_reporters(count):
    process = multiprocessing.Process(target=report_all, args=(count,))
    process.start()
    process.join()
    return [process]
