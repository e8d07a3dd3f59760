"""os.open / os.read / os.write, truncating the destination with O_TRUNC; walrus loop."""
import os

CHUNK_SIZE = 8192


def copy_file(file_name, source_dir, dest_dir):
    source = os.open(os.path.join(source_dir, file_name), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        dest = os.open(os.path.join(dest_dir, file_name),
                       os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
        try:
            while data := os.read(source, CHUNK_SIZE):
                while data:
                    data = data[os.write(dest, data):]
        finally:
            os.close(dest)
    finally:
        os.close(source)
