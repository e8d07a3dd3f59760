"""Threads instead of processes.

Expect: ran_in_thread
"""
import os
import threading


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    threads = []
    for name in os.listdir(source_dir):
        if os.path.isfile(os.path.join(source_dir, name)):
            thread = threading.Thread(target=copy_file, args=(name, source_dir, dest_dir))
            thread.start()
            threads.append(thread)
    for thread in threads:
        thread.join()
    return len(threads)
