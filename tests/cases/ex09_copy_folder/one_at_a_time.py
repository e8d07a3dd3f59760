"""Start, join, start, join: each file in a process of its own and all done on return, but one at a time.

Expect: copies_one_at_a_time
Check: test_copies_at_the_same_time
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(4096):
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    failed = []
    count = 0
    for name in sorted(os.listdir(source_dir)):
        if not os.path.isfile(os.path.join(source_dir, name)):
            continue
        process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
        process.start()
        process.join()
        count += 1
        if process.exitcode:
            failed.append(name)
    if failed:
        raise OSError(f"could not copy {failed}")
    return count
