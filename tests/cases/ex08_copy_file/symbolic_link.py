"""Makes a symbolic link to the source instead of a copy: reading it gives the same bytes.

Expect: not_a_real_copy
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    dest = os.path.join(dest_dir, file_name)
    if os.path.lexists(dest):
        os.remove(dest)
    os.symlink(os.path.abspath(os.path.join(source_dir, file_name)), dest)
