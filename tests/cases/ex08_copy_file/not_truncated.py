"""Writes over the destination without emptying it first: the old file's tail is left.

Expect: old_tail_left
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    dest_path = os.path.join(dest_dir, file_name)
    flags = os.O_WRONLY | os.O_CREAT
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with os.fdopen(os.open(dest_path, flags), "wb") as dest_file:
            while True:
                data = source_file.read(8192)
                if not data:
                    break
                dest_file.write(data)
