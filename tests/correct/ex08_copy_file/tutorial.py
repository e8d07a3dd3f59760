"""The tutorial's own copy_file, 1024 bytes at a time, with if/else and break."""
import os


def copy_file(file_name, source_dir, dest_dir):
    source_path = os.path.join(source_dir, file_name)
    dist_path = os.path.join(dest_dir, file_name)
    with open(source_path, 'rb') as source_file:
        with open(dist_path, 'wb') as dest_file:
            while True:
                data = source_file.read(1024)
                if data:
                    dest_file.write(data)
                else:
                    break
