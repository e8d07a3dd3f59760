"""The tutorial's way to show progress: a Pool of workers and a Manager().Queue() they report each copy on.

The Manager's server is a process too, but it copies nothing: workers processes still do the copying.
"""
import multiprocessing
import os
import shutil


def copy_one(source, dest, progress):
    shutil.copyfile(source, dest)
    progress.put(dest)


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    pairs = []
    for folder, _dirs, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        pairs += [(os.path.join(folder, name), os.path.join(target, name)) for name in files]
    manager = multiprocessing.Manager()
    try:
        progress = manager.Queue()
        with multiprocessing.Pool(workers) as pool:
            results = [pool.apply_async(copy_one, (source, dest, progress)) for source, dest in pairs]
            failed = []
            for (source, _dest), result in zip(pairs, results):
                try:
                    result.get()
                except OSError as error:
                    failed.append(f"{source}: {error}")
        copied = 0
        while not progress.empty():
            progress.get()
            copied += 1
        print(f"拷贝进度：{copied}/{len(pairs)}")
    finally:
        manager.shutdown()
    if failed:
        raise RuntimeError("could not copy " + "; ".join(failed))
    return len(pairs)
