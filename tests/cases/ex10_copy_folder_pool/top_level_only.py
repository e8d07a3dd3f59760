"""os.listdir instead of os.walk: subfolders are skipped.

Expect: subfolders_skipped
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
    os.makedirs(dest_dir, exist_ok=True)
    for name in os.listdir(source_dir):
        if os.path.isfile(os.path.join(source_dir, name)):
            tasks.append((name, os.path.join(source_dir, name), os.path.join(dest_dir, name)))
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
