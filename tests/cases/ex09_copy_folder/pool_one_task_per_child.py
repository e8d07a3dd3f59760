"""A Pool whose workers each copy one file and exit (maxtasksperchild=1); errors read with .get().

A worker killed by a signal takes its task with it: the Pool never delivers that result, and .get() waits for ever.

Expect: killed_copy_hangs
Check: test_failed_copy_raises
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    os.makedirs(dest_dir, exist_ok=True)
    failed = []
    with multiprocessing.Pool(processes=max(1, len(names)), maxtasksperchild=1) as pool:
        results = {n: pool.apply_async(copy_file, (n, source_dir, dest_dir)) for n in names}
        for name, result in results.items():
            try:
                result.get()
            except Exception:
                failed.append(name)
        pool.close()
        pool.join()
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(names)
