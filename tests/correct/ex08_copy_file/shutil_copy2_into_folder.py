"""shutil.copy2 given the destination folder: it copies into it, under the same name."""
import os
import shutil


def copy_file(file_name, source_dir, dest_dir):
    shutil.copy2(os.path.join(source_dir, file_name), dest_dir)
