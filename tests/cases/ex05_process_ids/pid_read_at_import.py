"""The pid is read once, at import: under fork a child prints its parent's id.

Expect: wrong_pid
Check: test_report_ids_in_a_child
Methods: fork
"""
import multiprocessing
import os

PID = os.getpid()


def report_ids(label):
    print(f"{label} pid={PID} ppid={os.getppid()}")


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
