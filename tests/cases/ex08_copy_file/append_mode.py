"""Opens the destination with "ab": a file already there keeps its old content in front.

Expect: appended
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "ab") as dest_file:
            while True:
                data = source_file.read(8192)
                if not data:
                    break
                dest_file.write(data)
