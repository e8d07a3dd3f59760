"""The learner's part of a traceback: what a learner reads of an exception, without the grader's frames."""

from __future__ import annotations

import traceback
from pathlib import Path


def is_under(filename: str, root: str | Path) -> bool:
    """Whether the file ``filename`` lies in the folder ``root`` (the submission being graded)."""
    try:
        return Path(filename).resolve().is_relative_to(Path(root).resolve())
    except (OSError, ValueError):
        return False


def learners_traceback(exc: BaseException, root: str | Path) -> str:
    """The traceback of ``exc`` cut down to the frames in files under ``root``, and the exception itself."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if is_under(f.filename, root)]
    return "".join(traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc)).rstrip()
