"""copy_folder copies every file itself, in the caller, and writes the probe's records of copy_file
calls that never were: one per file, each in a real child of the caller (an idle process it started),
ended without an error. The records are the host's files, within reach (the probe that replaced
copy_file names their folder); the kernel showed no process running copy_file."""
import json
import multiprocessing
import os
import shutil
import time

CHUNK_SIZE = 1024 * 64


def copy_file(file_name, source_dir, dest_dir):
    _copy(file_name, source_dir, dest_dir)


def _copy(file_name, source_dir, dest_dir):
    with open(os.path.join(source_dir, file_name), "rb") as source, \
            open(os.path.join(dest_dir, file_name), "wb") as dest:
        shutil.copyfileobj(source, dest, CHUNK_SIZE)


def _idle():
    time.sleep(0.05)


def _forge(folder, name, pid, source_dir, dest_dir, began):
    os.makedirs(folder, exist_ok=True)
    record = {"kind": "start", "id": f"forged-{pid}", "label": "copy_file", "function": "copy_file", "how": "process", "pid": pid,
              "ppid": os.getpid(), "parent_pid": os.getpid(), "process_name": "Process-1",
              "thread_name": "MainThread", "args": [name, source_dir, dest_dir], "kwargs": {},
              "called": began, "start": began}
    with open(os.path.join(folder, f"{pid}.calls.jsonl"), "a", encoding="utf-8") as lines:
        lines.write(json.dumps(record) + "\n")
        lines.write(json.dumps({"kind": "end", "id": f"forged-{pid}", "end": time.monotonic(), "error": None,
                                "cpu": 0.0}) + "\n")


def copy_folder(source_dir, dest_dir):
    os.makedirs(dest_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(source_dir) if os.path.isfile(os.path.join(source_dir, n)))
    folder = getattr(copy_file, "record_dir", None)  # the grader's probe, in place of copy_file
    for name in names:
        began = time.monotonic()
        process = multiprocessing.Process(target=_idle)
        process.start()
        _copy(name, source_dir, dest_dir)
        process.join()
        if folder:
            _forge(folder, name, process.pid, source_dir, dest_dir, began)
    return len(names)
