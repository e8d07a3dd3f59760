"""copy_folder passes each file's full path as file_name; its copy_file takes the name of the
destination from the path (os.path.basename), so every file is copied, but not as the exercise asks.

Expect: file_name_is_a_path
Check: test_each_file_in_a_process_of_its_own
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    source_path = os.path.join(source_dir, file_name)
    dest_path = os.path.join(dest_dir, os.path.basename(file_name))
    with open(source_path, "rb") as source_file, open(dest_path, "wb") as dest_file:
        while True:
            data = source_file.read(64 * 1024)
            if not data:
                break
            dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    processes = []
    for name in os.listdir(source_dir):
        path = os.path.join(source_dir, name)
        if os.path.isfile(path):
            process = multiprocessing.Process(target=copy_file, args=(path, source_dir, dest_dir))
            process.start()
            processes.append((name, process))
    for _name, process in processes:
        process.join()
    failed = [name for name, process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(processes)
