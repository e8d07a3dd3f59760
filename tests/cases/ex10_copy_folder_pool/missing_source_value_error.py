"""copy_folder_pool says a missing source_dir with ValueError, not FileNotFoundError.

Expect: tree_wrong_exception
Check: test_missing_source_raises
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
        raise ValueError(f"no such folder: {source_dir}")
    tasks = []
    for folder, _subfolders, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        for name in files:
            tasks.append((os.path.join(folder, name), os.path.join(target, name)))
    failed = []
    with multiprocessing.Pool(workers) as pool:
        results = [(src, pool.apply_async(copy_one, (src, dst))) for src, dst in tasks]
        for src, result in results:
            try:
                result.get()
            except Exception as error:
                failed.append(f"{src}: {error}")
    if failed:
        raise RuntimeError("copy failed for: " + ", ".join(failed))
    return len(tasks)
