"""Makes a hard link instead of a copy: the same bytes, but the same file, not a copy of it.

Expect: not_a_real_copy
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    dest = os.path.join(dest_dir, file_name)
    if os.path.lexists(dest):
        os.remove(dest)
    os.link(os.path.join(source_dir, file_name), dest)
