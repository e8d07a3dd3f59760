"""start_reporters joins each process with a timeout of 1 s: a reporter that needs longer is still running at return.

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
    for process in processes:
        process.join(1)
    return processes
