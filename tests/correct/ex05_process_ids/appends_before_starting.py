"""A mutant of the solution: each process goes into the list before it is started (the same
objects, started all the same)."""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        processes.append(process)
        process.start()
    for process in processes:
        process.join()
    return processes
