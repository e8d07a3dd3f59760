"""ProcessPoolExecutor with submit and as_completed; failures collected from future.exception()."""
import os
from concurrent.futures import ProcessPoolExecutor, as_completed


def copy_one(src, dst):
    with open(src, "rb") as source_file, open(dst, "wb") as dest_file:
        while data := source_file.read(1 << 16):
            dest_file.write(data)


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(f"no such folder: {source_dir}")
    jobs = {}
    for folder, _dirs, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        for name in files:
            jobs[os.path.relpath(os.path.join(folder, name), source_dir)] = (os.path.join(folder, name),
                                                                              os.path.join(target, name))
    failed = []
    with ProcessPoolExecutor(max_workers=workers) as executor:
        futures = {executor.submit(copy_one, *pair): rel for rel, pair in jobs.items()}
        for future in as_completed(futures):
            if future.exception() is not None:
                failed.append(futures[future])
    if failed:
        raise RuntimeError("copy failed for: " + ", ".join(sorted(failed)))
    return len(jobs)
