"""report_ids returns the line instead of printing it.

Expect: printed_nothing
Check: test_report_ids_in_this_process
"""
import multiprocessing
import os


def report_ids(label):
    return f"{label} pid={os.getpid()} ppid={os.getppid()}"


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
