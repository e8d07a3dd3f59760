"""Reads and writes one chunk only: files larger than a chunk are cut short.

Expect: only_first_chunk
"""
import os

CHUNK_SIZE = 4096


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            dest_file.write(source_file.read(CHUNK_SIZE))
