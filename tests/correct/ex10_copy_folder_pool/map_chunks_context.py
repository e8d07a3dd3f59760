"""An explicit spawn context, Pool.map with chunks of 3, a task that returns its failure."""
import multiprocessing
import os


def copy_pair(pair):
    src, dst = pair
    try:
        with open(src, "rb") as source_file, open(dst, "wb") as dest_file:
            while True:
                data = source_file.read(8192)
                if not data:
                    break
                dest_file.write(data)
        return None
    except Exception as error:
        return f"{src}: {error}"


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    pairs = []
    for folder, _dirs, files in os.walk(source_dir):
        target = os.path.join(dest_dir, os.path.relpath(folder, source_dir))
        os.makedirs(target, exist_ok=True)
        pairs.extend((os.path.join(folder, n), os.path.join(target, n)) for n in files)
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        problems = [p for p in pool.map(copy_pair, pairs, chunksize=3) if p]
    if problems:
        raise RuntimeError("copy failed: " + " | ".join(problems))
    return len(pairs)
