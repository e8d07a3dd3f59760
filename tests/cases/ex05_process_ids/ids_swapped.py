"""report_ids prints the parent's id as pid and its own as ppid.

Expect: ids_swapped
Check: test_report_ids_in_this_process
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getppid()} ppid={os.getpid()}")


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
