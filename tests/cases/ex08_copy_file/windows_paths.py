"""Paths joined by hand with a backslash: works on Windows only.

Expect: wrong_path
"""


def copy_file(file_name, source_dir, dest_dir):
    with open(source_dir + "\\" + file_name, "rb") as source_file:
        with open(dest_dir + "\\" + file_name, "wb") as dest_file:
            while True:
                data = source_file.read(1024)
                if not data:
                    break
                dest_file.write(data)
