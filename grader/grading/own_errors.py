"""A grading process (worker or learner host) that fails on an error of the grader's own says so.

It leaves its traceback in the job's scratch folder and exits with :data:`STATUS`; the process that
sees it end reads the traceback back and tells the failure as ``grader_error`` (the kit's bug),
never as the learner's code having ended the grading process. ``os._exit``, which every grading
process ends with, would otherwise throw the traceback away.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

STATUS = 70  # EX_SOFTWARE
WORKER = "worker-error.txt"
HOST = "host-error.txt"
LONGEST = 3000  # the last characters of a traceback kept: where it failed


def leave(scratch: str | Path, name: str) -> None:
    """Write the traceback of the exception being handled to stderr (the log) and ``scratch/name``; never fail."""
    text = traceback.format_exc()
    try:
        sys.stderr.write(text)
        (Path(scratch) / name).write_text(text[-LONGEST:], encoding="utf-8")
    except Exception:  # noqa: BLE001 - a process that cannot even say why still ends with its status
        pass


def left(scratch: str | Path, name: str, exitcode: int | None) -> str | None:
    """The traceback a process that ended with ``exitcode`` left in ``scratch/name``; None if it left none."""
    if exitcode != STATUS:
        return None
    try:
        return (Path(scratch) / name).read_text(encoding="utf-8")[-LONGEST:]
    except OSError:
        return None
