"""Reads the exit codes before its join loop (the two steps swapped): a copy still running then has no exit
code yet (None), and is reported as failed although it finishes without an error.

Expect: exit_codes_read_early
"""
import multiprocessing
import os


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
    failed = [name for name, process in processes if process.exitcode != 0]
    for _name, process in processes:
        process.join()
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(processes)
