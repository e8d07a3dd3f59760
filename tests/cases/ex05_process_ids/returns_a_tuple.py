"""start_reporters starts, joins and returns all its processes, but as a tuple, not the list the contract asks for.

Expect: returned_tuple
Check: test_start_reporters_returns_the_processes
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
        process.join()
    return tuple(processes)
