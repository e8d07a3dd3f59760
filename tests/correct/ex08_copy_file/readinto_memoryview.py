"""readinto a reused buffer, writing only the bytes read; a 1 MiB chunk."""
import os

CHUNK_SIZE = 1 << 20


def copy_file(file_name, source_dir, dest_dir):
    buffer = bytearray(CHUNK_SIZE)
    view = memoryview(buffer)
    with open(os.path.join(source_dir, file_name), "rb", buffering=0) as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while n := source_file.readinto(buffer):
                dest_file.write(view[:n])
