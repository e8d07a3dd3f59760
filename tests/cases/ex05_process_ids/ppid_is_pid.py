"""report_ids prints its own id as ppid too.

Expect: wrong_ppid
Check: test_report_ids_in_this_process
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getpid()}")


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
