"""Splits the name at its dots into a stem and an extension: fine for "photo.jpg", but
"数据-3.tar.gz" has two dots and "two  spaces 7" none.
Expect: raised
"""

import os

CHUNK_SIZE = 1024 * 64


def copy_file(file_name, source_dir, dest_dir):
    stem, extension = file_name.split(".")
    with open(os.path.join(source_dir, f"{stem}.{extension}"), "rb") as source_file:
        with open(os.path.join(dest_dir, f"{stem}.{extension}"), "wb") as dest_file:
            while True:
                data = source_file.read(CHUNK_SIZE)
                if not data:
                    break
                dest_file.write(data)
