"""Counts finished copies in a callback and waits for all of them: a failed copy never calls back.

Expect: waits_after_every_copy_ended
Check: test_failed_copy_raises_after_the_rest
"""
import multiprocessing
import os
import time


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
    pool = multiprocessing.Pool(workers)
    done = []
    for rel, src, dst in tasks:
        pool.apply_async(copy_one, (src, dst), callback=done.append)
    while len(done) < len(tasks):
        time.sleep(0.01)
    pool.close()
    pool.join()
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(tasks)
