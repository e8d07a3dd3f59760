"""Reads the whole file at once: right bytes, but a large file is held whole in memory.

Expect: whole_file_in_memory
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        data = source_file.read()
    with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
        dest_file.write(data)
