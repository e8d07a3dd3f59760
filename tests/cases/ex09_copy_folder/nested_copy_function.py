"""A copy function nested inside copy_folder: it runs under fork only, so it fails under every start method.

Expect: target_not_portable
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    def copy_one(name):
        copy_file(name, source_dir, dest_dir)

    os.makedirs(dest_dir, exist_ok=True)
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    processes = [multiprocessing.Process(target=copy_one, args=(name,)) for name in names]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    failed = [name for name, process in zip(names, processes) if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(names)
