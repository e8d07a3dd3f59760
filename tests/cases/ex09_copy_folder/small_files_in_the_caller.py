"""copy_folder copies the files smaller than one chunk itself, with shutil.copyfile (starting a
process costs more than such a copy), and starts copy_file's processes only for the larger ones:
every file is copied, but not each by copy_file in a process of its own.

Expect: copy_file_not_called_for
Check: test_each_file_in_a_process_of_its_own
"""
import multiprocessing
import os
import shutil

CHUNK_SIZE = 64 * 1024


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(CHUNK_SIZE):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    processes = []
    count = 0
    for name in os.listdir(source_dir):
        path = os.path.join(source_dir, name)
        if not os.path.isfile(path):
            continue
        count += 1
        if os.path.getsize(path) < CHUNK_SIZE:
            shutil.copyfile(path, os.path.join(dest_dir, name))
            continue
        process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
        process.start()
        processes.append((name, process))
    for _name, process in processes:
        process.join()
    failed = [name for name, process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return count
