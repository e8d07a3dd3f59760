"""Chunks of 960 bytes (a mutant of the solution's 1024 * 64): any chunk size copies the same bytes."""
import os

CHUNK_SIZE = 1024 - 64


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                if not data:
                    break
                dest_file.write(data)
