"""A Pool of two copies several files in the same worker process.

Expect: shared_process
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
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    with multiprocessing.Pool(1) as pool:
        pool.starmap(copy_file, [(n, source_dir, dest_dir) for n in names])
    return len(names)
