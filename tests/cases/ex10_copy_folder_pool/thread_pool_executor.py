"""ThreadPoolExecutor handing shutil.copyfile to threads: no process at all.

Expect: no_processes
"""
import os
import shutil
from concurrent.futures import ThreadPoolExecutor


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    pairs = []
    for folder, _subfolders, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        pairs += [(os.path.join(folder, name), os.path.join(target, name)) for name in files]
    failed = []
    with ThreadPoolExecutor(workers) as executor:
        futures = {executor.submit(shutil.copyfile, src, dst): src for src, dst in pairs}
        for future, src in futures.items():
            if future.exception() is not None:
                failed.append(src)
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(pairs)
