"""Each child runs a helper that builds the label and calls report_ids; processes from a spawn context."""
import multiprocessing
import os

spawn = multiprocessing.get_context("spawn")


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def _report_number(i):
    report_ids(f"child-{i}")


def start_reporters(count):
    processes = [spawn.Process(target=_report_number, args=(i,)) for i in range(count)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return processes
