"""shutil.copyfile: the kernel copies the bytes (sendfile on Linux), Python holds none of them."""
import os
import shutil


def copy_file(file_name, source_dir, dest_dir):
    shutil.copyfile(os.path.join(source_dir, file_name), os.path.join(dest_dir, file_name))
