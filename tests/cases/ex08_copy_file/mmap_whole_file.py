"""Maps the whole source file with mmap and writes it in one go: the Python heap never sees it, the OS does.

Expect: whole_file_in_memory
Check: test_copies_in_chunks
"""
import mmap
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            if os.fstat(source_file.fileno()).st_size == 0:
                return
            with mmap.mmap(source_file.fileno(), 0, access=mmap.ACCESS_READ) as whole:
                dest_file.write(whole)
