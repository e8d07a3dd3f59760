"""start_reporters keeps (label, process) pairs and returns those instead of the Process objects.

Expect: not_processes
Check: test_start_reporters_returns_the_processes
"""
import multiprocessing
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    reporters = []
    for i in range(count):
        label = f"child-{i}"
        process = multiprocessing.Process(target=report_ids, args=(label,))
        process.start()
        reporters.append((label, process))
    for _, process in reporters:
        process.join()
    return reporters
