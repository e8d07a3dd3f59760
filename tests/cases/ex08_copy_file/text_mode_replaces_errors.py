"""Text mode kept, its line ends left alone (newline=""), and its UnicodeDecodeError silenced with
errors="replace": each byte that is not UTF-8 becomes "\ufffd" in the copy.

Expect: copy_differs
Check: test_copies_any_content_exactly
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    source = os.path.join(source_dir, file_name)
    dest = os.path.join(dest_dir, file_name)
    with open(source, "r", encoding="utf-8", errors="replace", newline="") as source_file:
        with open(dest, "w", encoding="utf-8", newline="") as dest_file:
            while True:
                data = source_file.read(1024)
                if not data:
                    break
                dest_file.write(data)
