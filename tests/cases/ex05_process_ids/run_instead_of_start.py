"""start_reporters calls run() instead of start().

Expect: ran_via_run
Check: test_start_reporters_runs_each_label_in_a_process
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.run()
    return processes
