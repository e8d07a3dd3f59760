"""start_reporters starts count - 1 processes.

Expect: wrong_labels
Check: test_start_reporters_runs_each_label_in_a_process
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    processes = []
    for i in range(count - 1):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
