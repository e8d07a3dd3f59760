"""The source path is right, the destination joined by hand: the copy lands beside dest_dir.

Expect: wrong_path
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(dest_dir + "\\" + file_name, "wb") as dest_file:
            while True:
                data = source_file.read(1024)
                if not data:
                    break
                dest_file.write(data)
