"""An off-by-one: copy_folder loops over range(len(names) - 1) and never copies the last file.

Expect: files_missing
Check: test_copies_every_file
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
    names = [name for name in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, name))]
    processes = []
    for i in range(len(names) - 1):
        process = multiprocessing.Process(target=copy_file, args=(names[i], source_dir, dest_dir))
        process.start()
        processes.append((names[i], process))
    for _, process in processes:
        process.join()
    failed = [name for name, process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(names)
