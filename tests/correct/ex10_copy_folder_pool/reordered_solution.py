"""Mutants of the solution that copy the same: a chunk of 960 bytes, each chunk written before
the loop looks whether it was empty, a FileNotFoundError without a message, destination folders
made while walking, the pool closed before the results are read, the failure raised inside the
with block, and no pool.join() (leaving the block ends the workers once every result is in)."""
import multiprocessing
import os

CHUNK_SIZE = 1024 - 64


def copy_one(src, dst):
    with open(src, "rb") as source_file:
        with open(dst, "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                dest_file.write(data)
                if not data:
                    break


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError()
    tasks = []
    for folder, _subfolders, files in os.walk(source_dir):
        rel_folder = os.path.relpath(folder, source_dir)
        os.makedirs(os.path.normpath(os.path.join(dest_dir, rel_folder)), exist_ok=True)
        for name in sorted(files):
            src = os.path.join(folder, name)
            if os.path.isfile(src):
                rel = os.path.normpath(os.path.join(rel_folder, name))
                tasks.append((rel, src, os.path.join(dest_dir, rel)))
    with multiprocessing.Pool(workers) as pool:
        pending = [(rel, pool.apply_async(copy_one, (src, dst))) for rel, src, dst in tasks]
        pool.close()
        failed = []
        for rel, result in pending:
            try:
                result.get()
            except Exception as error:
                failed.append(f"{rel} ({type(error).__name__}: {error})")
        if failed:
            raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(tasks)
