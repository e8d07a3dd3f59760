"""copy_folder starts a process per file, then, to join them, makes and starts a new process per
file and joins that one: every file is copied twice, and the first copies are never joined.

Expect: copied_twice
Check: test_each_file_in_a_process_of_its_own
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while True:
                data = source_file.read(64 * 1024)
                if not data:
                    break
                dest_file.write(data)


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    for name in names:
        multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir)).start()
    failed = []
    for name in names:
        process = multiprocessing.Process(target=copy_file, args=(name, source_dir, dest_dir))
        process.start()
        process.join()
        if process.exitcode != 0:
            failed.append(name)
    if failed:
        raise RuntimeError(f"copy failed for: {', '.join(failed)}")
    return len(names)
