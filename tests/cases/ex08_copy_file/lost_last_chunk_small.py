"""The same lost tail with the tutorial's 1024-byte chunks: small files come out empty.

Expect: last_chunk_lost
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    source_file = open(os.path.join(source_dir, file_name), "rb")
    dest_file = open(os.path.join(dest_dir, file_name), "wb")
    data = source_file.read(1024)
    while len(data) == 1024:
        dest_file.write(data)
        data = source_file.read(1024)
    source_file.close()
    dest_file.close()
