"""readlines() holds every line, the whole file, in a list.

Expect: whole_file_in_memory
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        lines = source_file.readlines()
    with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
        dest_file.writelines(lines)
