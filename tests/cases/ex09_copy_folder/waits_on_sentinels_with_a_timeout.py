"""Waits on the copies' sentinels in a loop until all have ended or 5 s have passed in all, then takes the
copies still running for failed: a copy that needs longer is reported as failed, and copy_folder
may return while it still runs.

Expect: copy_join_gave_up
Check: test_returns_after_every_copy
"""
import multiprocessing
import os
import time
from multiprocessing.connection import wait


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    processes = []
    for name in os.listdir(source_dir):
        if os.path.isfile(os.path.join(source_dir, name)):
            process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
            process.start()
            processes.append((name, process))
    pending = [process.sentinel for _name, process in processes]
    deadline = time.monotonic() + 5
    while pending and time.monotonic() < deadline:
        for ready in wait(pending, timeout=max(0.0, deadline - time.monotonic())):
            pending.remove(ready)
    failed = []
    for name, process in processes:
        if process.sentinel in pending:
            failed.append(name)  # still running at the deadline: given up on
        else:
            process.join()
            if process.exitcode != 0:
                failed.append(name)
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(processes)
