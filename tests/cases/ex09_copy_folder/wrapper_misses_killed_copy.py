"""Each child runs a helper that calls copy_file and sends any error back on a queue; exit codes are never read.

A child killed by a signal sends nothing: its copy passes for a success.

Expect: killed_copy_not_reported
Check: test_failed_copy_raises
"""
import multiprocessing
import os


def copy_file(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source_file:
        with open(os.path.join(dest_dir, file_name), "wb") as dest_file:
            while data := source_file.read(65536):
                dest_file.write(data)


def copy_and_report(file_name, source_dir, dest_dir, errors):
    try:
        copy_file(file_name, source_dir, dest_dir)
    except Exception as error:
        errors.put(f"{file_name}: {error!r}")


def copy_folder(source_dir, dest_dir):
    names = [n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n))]
    os.makedirs(dest_dir, exist_ok=True)
    errors = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=copy_and_report, args=(n, source_dir, dest_dir, errors))
                 for n in names]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    if problems:
        raise RuntimeError("; ".join(problems))
    return len(names)
