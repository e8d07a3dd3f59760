"""Two mutants of the solution that copy the same bytes: the destination path built first, and
each chunk written before the loop looks whether it was empty (writing b"" writes nothing)."""
import os

CHUNK_SIZE = 1024 * 64


def copy_file(file_name, source_dir, dest_dir):
    dest_path = os.path.join(dest_dir, file_name)
    source_path = os.path.join(source_dir, file_name)
    with open(source_path, "rb") as source_file:
        with open(dest_path, "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                dest_file.write(data)
                if not data:
                    break
