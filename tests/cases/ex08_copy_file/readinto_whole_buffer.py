"""readinto into a fixed buffer, then writes the whole buffer: the last chunk comes out too long.

Expect: extra_bytes
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    buffer = bytearray(4096)
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while source_file.readinto(buffer):
                dest_file.write(buffer)
