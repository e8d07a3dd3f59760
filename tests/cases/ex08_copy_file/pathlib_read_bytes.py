"""pathlib in one line: right bytes, but the whole file in memory.

Expect: whole_file_in_memory
"""
from pathlib import Path


def copy_file(file_name, source_dir, dest_dir):
    (Path(dest_dir) / file_name).write_bytes((Path(source_dir) / file_name).read_bytes())
