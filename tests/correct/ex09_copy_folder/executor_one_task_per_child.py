"""A ProcessPoolExecutor whose workers each run one task (max_tasks_per_child=1), futures read.

With max_tasks_per_child and no mp_context, the executor always uses spawn, whatever the default
start method: this variant starts a fresh interpreter per file, so it grades in about 2.5 s (10 s
under the stress load) under every start method. The grader adds no wait of its own here.
A worker killed by a signal breaks the executor: every future not done yet raises BrokenProcessPool,
the killed copy's among them, so each failed copy is still named.

Python: 3.11
"""
import os
from concurrent.futures import ProcessPoolExecutor


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    os.makedirs(dest_dir, exist_ok=True)
    errors = []
    with ProcessPoolExecutor(max_workers=max(1, len(names)), max_tasks_per_child=1) as executor:
        futures = {name: executor.submit(copy_file, name, source_dir, dest_dir) for name in names}
        for name, future in futures.items():
            if future.exception() is not None:
                errors.append(f"{name} ({future.exception()})")
    if errors:
        raise RuntimeError("copy failed for " + ", ".join(errors))
    return len(names)
