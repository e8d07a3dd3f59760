"""ppid read from multiprocessing.parent_process(): under forkserver it is not os.getppid().

Expect: ppid_from_parent_process
Check: test_report_ids_in_a_child
Methods: forkserver
"""
import multiprocessing
import os


def report_ids(label):
    parent = multiprocessing.parent_process()
    ppid = parent.pid if parent is not None else os.getppid()
    print(f"{label} pid={os.getpid()} ppid={ppid}")


def start_reporters(count):
    processes = []
    for i in range(count):
        process = multiprocessing.Process(target=report_ids, args=(f"child-{i}",))
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return processes
