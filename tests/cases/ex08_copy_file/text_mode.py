"""Text mode: "r" and "w" rewrite \r\n line ends (and fail on bytes that are not UTF-8).

Expect: text_mode
Check: test_copies_any_content_exactly
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "r") as source_file:
        with open(os.path.join(dest_dir, file_name), "w") as dest_file:
            while True:
                data = source_file.read(1024)
                if not data:
                    break
                dest_file.write(data)
