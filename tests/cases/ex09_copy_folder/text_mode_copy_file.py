"""copy_file in text mode: fails in the child on bytes that are not UTF-8.

Expect: text_mode_failed
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name)) as source_file:
        with open(os.path.join(dest_dir, file_name), "w") as dest_file:
            dest_file.write(source_file.read())


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    processes = []
    for name in os.listdir(source_dir):
        if os.path.isfile(os.path.join(source_dir, name)):
            process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
            process.start()
            processes.append(process)
    for process in processes:
        process.join()
    return len(processes)
