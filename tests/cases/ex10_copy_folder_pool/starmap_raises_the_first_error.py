"""Pool.starmap with shutil.copy2 as the task: it raises the first error only, so of two failed copies one is not named.

Expect: tree_second_failure_not_named
"""
import multiprocessing
import shutil
from pathlib import Path


def copy_folder_pool(source_dir, dest_dir, workers=4):
    source, dest = Path(source_dir), Path(dest_dir)
    if not source.is_dir():
        raise FileNotFoundError(source)
    pairs = []
    for path in sorted(source.rglob("*")):
        target = dest / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            pairs.append((str(path), str(target)))
    pool = multiprocessing.Pool(workers)
    try:
        pool.starmap(shutil.copy2, pairs)  # raises the first error once it is known...
    finally:
        pool.close()  # ...and the copies still queued finish before it leaves here
        pool.join()
    return len(pairs)
