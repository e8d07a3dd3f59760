"""The failures are listed inside the join loop only: for an empty source_dir the loop never runs,
and `failed` is read before it was ever set (UnboundLocalError).

Expect: empty_folder_raised
Check: test_missing_source_raises
"""
import multiprocessing
import os

CHUNK_SIZE = 1024 - 64


def copy_file(file_name, source_dir, dest_dir):
    dest_path = os.path.join(dest_dir, file_name)
    source_path = os.path.join(source_dir, file_name)
    with open(source_path, "rb") as source_file:
        with open(dest_path, "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                dest_file.write(data)
                if not data:
                    break


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    names = sorted(os.listdir(source_dir))
    processes = []
    for name in names:
        process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
        if not os.path.isfile(os.path.join(source_dir, name)):
            continue
        processes.append((name, process))
        process.start()
    for _name, process in processes:
        process.join()
        failed = [name for name, process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(processes)
