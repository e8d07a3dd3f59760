"""Text mode with an encoding that decodes any byte: no error, but \r\n still becomes \n.

Expect: text_mode
"""
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), encoding="latin-1") as source_file:
        with open(os.path.join(dest_dir, file_name), "w", encoding="latin-1") as dest_file:
            for line in source_file:
                dest_file.write(line)
