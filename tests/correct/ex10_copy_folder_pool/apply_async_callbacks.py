"""apply_async with callback and error_callback collecting the outcomes; close() and join() wait for them all."""
import multiprocessing
import os
import shutil


def copy_file(src, dst):
    shutil.copyfile(src, dst)
    return dst


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    done, failed = [], []
    pool = multiprocessing.Pool(workers)
    for folder, _subfolders, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        for name in files:
            src = os.path.join(folder, name)
            pool.apply_async(copy_file, (src, os.path.join(target, name)), callback=done.append,
                             error_callback=lambda error, src=src: failed.append(f"{src}: {error}"))
    pool.close()
    pool.join()
    if failed:
        raise RuntimeError("copy failed for " + "; ".join(failed))
    return len(done)
