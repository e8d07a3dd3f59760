"""report_ids prints a ppid of its own making, with os.getppid patched to say the same: a probe in the same
process reads the patched function; the kernel, which the witness asks, does not."""
import multiprocessing
import os


def report_ids(label):
    os.getppid = lambda: 4242
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}", flush=True)


def start_reporters(count):
    processes = [multiprocessing.Process(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return processes
