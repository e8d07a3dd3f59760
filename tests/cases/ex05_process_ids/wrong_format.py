"""report_ids prints the ids without pid= and ppid=.

Expect: wrong_format
Check: test_report_ids_in_this_process
"""
import multiprocessing
import os


def report_ids(label):
    print(label, os.getpid(), os.getppid())


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
