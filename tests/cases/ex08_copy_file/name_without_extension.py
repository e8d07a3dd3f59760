"""Rebuilds the destination name from its stem and its extension, with a dot between: a name
without a dot ("two  spaces 7") comes out as ".two  spaces 7".
Expect: wrong_path
"""

import os

CHUNK_SIZE = 1024 * 64


def copy_file(file_name, source_dir, dest_dir):
    stem, _dot, extension = file_name.rpartition(".")
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, stem + "." + extension), "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                if not data:
                    break
                dest_file.write(data)
