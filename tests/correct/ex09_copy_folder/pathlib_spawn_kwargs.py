"""pathlib, an explicit spawn context, copy_file given its arguments by keyword; shutil inside."""
import multiprocessing
import shutil
from pathlib import Path


def copy_file(file_name, source_dir, dest_dir):
    with open(Path(source_dir) / file_name, "rb") as source, open(Path(dest_dir) / file_name, "wb") as dest:
        shutil.copyfileobj(source, dest)


def copy_folder(source_dir, dest_dir) -> int:
    source, dest = Path(source_dir), Path(dest_dir)
    entries = list(source.iterdir())  # FileNotFoundError for a missing source
    dest.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("spawn")
    started = {}
    for entry in entries:
        if entry.is_file():
            process = context.Process(target=copy_file,
                                      kwargs={"file_name": entry.name, "source_dir": source, "dest_dir": dest})
            process.start()
            started[entry.name] = process
    for process in started.values():
        process.join()
    failed = sorted(name for name, process in started.items() if process.exitcode != 0)
    if failed:
        raise RuntimeError("failed: " + ", ".join(failed))
    return len(started)
