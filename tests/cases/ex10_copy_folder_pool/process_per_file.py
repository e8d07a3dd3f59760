"""A process per file, all started, then all joined: no bound at all.

Expect: too_many_alive
"""
import multiprocessing
import os


def copy_one(src, dst):
    with open(src, "rb") as source_file:
        with open(dst, "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    tasks = []
    for folder, _subfolders, files in os.walk(source_dir):
        rel_folder = os.path.relpath(folder, source_dir)
        os.makedirs(os.path.join(dest_dir, rel_folder), exist_ok=True)
        for name in files:
            rel = os.path.normpath(os.path.join(rel_folder, name))
            tasks.append((rel, os.path.join(folder, name), os.path.join(dest_dir, rel)))
    failed = []
    processes = [(rel, multiprocessing.Process(target=copy_one, args=(src, dst))) for rel, src, dst in tasks]
    for _rel, process in processes:
        process.start()
    for rel, process in processes:
        process.join()
        if process.exitcode != 0:
            failed.append(rel)
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(tasks)
