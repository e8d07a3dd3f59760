"""os.walk yields nothing for a missing folder: returns 0 instead of raising.

Expect: tree_missing_source_not_reported
"""
import multiprocessing
import os


def copy_one(src, dst):
    with open(src, "rb") as source_file:
        with open(dst, "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder_pool(source_dir, dest_dir, workers=4):
    tasks = []
    for folder, _subfolders, files in os.walk(source_dir):
        rel_folder = os.path.relpath(folder, source_dir)
        os.makedirs(os.path.join(dest_dir, rel_folder), exist_ok=True)
        for name in files:
            rel = os.path.normpath(os.path.join(rel_folder, name))
            tasks.append((rel, os.path.join(folder, name), os.path.join(dest_dir, rel)))
    failed = []
    pool = multiprocessing.Pool(workers)
    results = [(rel, pool.apply_async(copy_one, (src, dst))) for rel, src, dst in tasks]
    for rel, result in results:
        try:
            result.get()
        except Exception as error:
            failed.append(f"{rel}: {error}")
    pool.close()
    pool.join()
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(tasks)
