"""Pool.imap_unordered over a task of its own that returns an error message instead of raising."""
import multiprocessing
import os


def copy_task(job):
    rel, src, dst = job
    try:
        with open(src, "rb") as source_file, open(dst, "wb") as dest_file:
            for chunk in iter(lambda: source_file.read(32768), b""):
                dest_file.write(chunk)
    except OSError as error:
        return rel, str(error)
    return rel, None


def copy_folder_pool(source_dir, dest_dir, workers=4):
    if not os.path.exists(source_dir):
        raise FileNotFoundError(source_dir)
    jobs = []
    for folder, _dirs, files in os.walk(source_dir):
        rel_folder = os.path.relpath(folder, source_dir)
        os.makedirs(os.path.join(dest_dir, rel_folder), exist_ok=True)
        for name in files:
            rel = os.path.join(rel_folder, name)
            jobs.append((rel, os.path.join(folder, name), os.path.join(dest_dir, rel)))
    with multiprocessing.Pool(processes=workers) as pool:
        errors = [f"{rel} ({error})" for rel, error in pool.imap_unordered(copy_task, jobs) if error]
    if errors:
        raise OSError("could not copy " + "; ".join(errors))
    return len(jobs)
