"""pathlib's rglob, shutil.copy2 itself as the pool's task (apply_async); every result read, the failures named."""
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
    failed = []
    with multiprocessing.Pool(workers) as pool:
        results = [(src, pool.apply_async(shutil.copy2, (src, dst))) for src, dst in pairs]
        for src, result in results:
            try:
                result.get()
            except OSError as error:
                failed.append(f"{src}: {error}")
        pool.close()
        pool.join()
    if failed:
        raise RuntimeError("copy failed for " + "; ".join(failed))
    return len(pairs)
