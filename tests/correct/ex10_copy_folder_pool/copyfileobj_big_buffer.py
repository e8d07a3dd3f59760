"""os.walk, a copy function of its own around shutil.copyfileobj with a 4 MiB buffer, Pool.starmap with
chunks; a failure of one copy is collected, the rest still copied, every failed file named."""
import multiprocessing
import os
import shutil

BUFFER = 4 * 1024 * 1024


def copy_one(source_path, dest_path):
    try:
        with open(source_path, "rb") as source, open(dest_path, "wb") as dest:
            shutil.copyfileobj(source, dest, BUFFER)
    except OSError as error:
        return f"{source_path}: {error}"
    return None


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    pairs = []
    for folder, _, names in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        pairs += [(os.path.join(folder, name), os.path.join(target, name)) for name in names]
    with multiprocessing.Pool(workers) as pool:
        failures = [f for f in pool.starmap(copy_one, pairs, chunksize=2) if f is not None]
    if failures:
        raise RuntimeError("could not copy: " + "; ".join(failures))
    return len(pairs)
