"""Counts a copy as failed only when its exitcode is positive: a copy killed by a signal (exitcode -9) passes for a success.

Expect: killed_copy_not_reported
Check: test_failed_copy_raises
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    os.makedirs(dest_dir, exist_ok=True)
    processes = [(n, multiprocessing.Process(target=copy_file, args=(n, source_dir, dest_dir))) for n in names]
    for _name, process in processes:
        process.start()
    for _name, process in processes:
        process.join()
    failed = [name for name, process in processes if process.exitcode > 0]
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(processes)
