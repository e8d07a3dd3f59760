"""Chunks of 4 MiB, a "buffer" size seen in the wild: still a chunk loop, which holds two chunks at most (the
one read and the one before it), never the file."""
import os

CHUNK_SIZE = 4 * 1024 * 1024


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                if not data:
                    break
                dest_file.write(data)
