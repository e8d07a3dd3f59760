"""A process per file running shutil.copy2 directly, all started, then all joined: no bound.

The grader cannot hold a copy made by shutil itself, so under fork a few short copies may not
overlap; the tree of hundreds of files then shows it.

Expect: too_many_alive
"""
import multiprocessing
import os
import shutil


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    pairs = []
    for folder, _subfolders, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        pairs += [(os.path.join(folder, name), os.path.join(target, name)) for name in files]
    processes = [multiprocessing.Process(target=shutil.copy2, args=pair) for pair in pairs]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    failed = [src for (src, _), p in zip(pairs, processes) if p.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(pairs)
