"""start_reporters keeps only the last process.

Expect: wrong_processes
Check: test_start_reporters_returns_the_processes
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    started = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        started.append(process)
        processes = [process]
    for process in started:
        process.join()
    return processes
