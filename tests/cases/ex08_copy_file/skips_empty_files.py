"""copy_file returns as soon as the first read gives nothing, so an empty file is never created in dest_dir.

Expect: not_copied
Check: test_copies_any_content_exactly
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        data = source_file.read(65536)
        if not data:
            return  # nothing to copy
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data:
                dest_file.write(data)
                data = source_file.read(65536)
