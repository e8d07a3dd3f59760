"""Starts all but the last, joins them, then starts and joins the last.

Expect: reporters_one_at_a_time
Check: test_start_reporters_starts_all_before_waiting
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes[:-1]:
        process.start()
    for process in processes[:-1]:
        process.join()
    processes[-1].start()
    processes[-1].join()
    return processes
