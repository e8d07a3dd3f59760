"""Sizes the pool by the machine (os.cpu_count()) instead of workers: on 2 cores it passed, on 16 it failed.

Expect: too_many_alive
Check: test_at_most_workers_alive
"""
import multiprocessing
import os
import shutil


def _copy(source, dest):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(source, dest)


def copy_folder_pool(source_dir, dest_dir, workers=4):
    jobs = []
    for root, _, files in os.walk(source_dir):
        for name in files:
            source = os.path.join(root, name)
            jobs.append((source, os.path.join(dest_dir, os.path.relpath(source, source_dir))))
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    os.makedirs(dest_dir, exist_ok=True)
    with multiprocessing.Pool(os.cpu_count()) as pool:
        results = [(source, pool.apply_async(_copy, job)) for job in jobs for source in [job[0]]]
        failed = []
        for source, result in results:
            try:
                result.get()
            except Exception:
                failed.append(source)
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(jobs)
