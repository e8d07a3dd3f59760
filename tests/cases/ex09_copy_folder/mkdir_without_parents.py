"""os.mkdir cannot create a dest_dir whose parent is missing.

Expect: dest_not_created
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    if not os.path.exists(dest_dir):
        os.mkdir(dest_dir)
    processes = []
    for name in os.listdir(source_dir):
        if os.path.isfile(os.path.join(source_dir, name)):
            process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
            process.start()
            processes.append(process)
    for process in processes:
        process.join()
    return len(processes)
