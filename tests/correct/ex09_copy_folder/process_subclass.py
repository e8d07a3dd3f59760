"""A Process subclass whose run() calls copy_file."""
import os
from multiprocessing import Process


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            for chunk in iter(lambda: source_file.read(8192), b""):
                dest_file.write(chunk)


class Copier(Process):
    def __init__(self, file_name, source_dir, dest_dir):
        super().__init__()
        self.file_name, self.source_dir, self.dest_dir = file_name, source_dir, dest_dir

    def run(self):
        copy_file(self.file_name, self.source_dir, self.dest_dir)


def copy_folder(source_dir, dest_dir):
    copiers = [Copier(name, source_dir, dest_dir) for name in os.listdir(source_dir)
               if os.path.isfile(os.path.join(source_dir, name))]
    os.makedirs(dest_dir, exist_ok=True)
    for copier in copiers:
        copier.start()
    for copier in copiers:
        copier.join()
    failed = [c.file_name for c in copiers if c.exitcode != 0]
    if failed:
        raise RuntimeError(f"copy failed for: {failed}")
    return len(copiers)
