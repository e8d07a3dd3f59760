"""Iterates Pool.imap inside `with Pool`; the first task's error propagates out of the block, which terminates the pool.

Expect: stopped_at_first_failure
"""
import multiprocessing
import os
import shutil


def copy_job(job):
    src, dst = job
    shutil.copyfile(src, dst)
    return dst


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    jobs = []
    for folder, _subfolders, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        jobs += [(os.path.join(folder, name), os.path.join(target, name)) for name in files]
    copied = 0
    with multiprocessing.Pool(workers) as pool:
        for _dst in pool.imap(copy_job, jobs):
            copied += 1
    return copied
