"""Opens the source with "r+b" and truncates it by mistake.

Expect: source_changed
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "r+b") as source_file:
        data = source_file.read(65536)
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data:
                dest_file.write(data)
                data = source_file.read(65536)
        source_file.truncate(0)
