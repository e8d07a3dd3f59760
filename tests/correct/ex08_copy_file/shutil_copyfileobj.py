"""shutil.copyfileobj copies in chunks between two open binary files."""
import os
import shutil


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file, \
            open(os.path.join(dest_dir, file_name), "wb") as dest_file:
        shutil.copyfileobj(source_file, dest_file)
