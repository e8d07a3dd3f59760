"""pathlib paths, iter() with a sentinel, an odd chunk size of its own."""
from functools import partial
from pathlib import Path

CHUNK_SIZE = 1000


def copy_file(file_name, source_dir, dest_dir):
    source, dest = Path(source_dir) / file_name, Path(dest_dir) / file_name
    with source.open("rb") as source_file, dest.open("wb") as dest_file:
        for chunk in iter(partial(source_file.read, CHUNK_SIZE), b""):
            dest_file.write(chunk)
