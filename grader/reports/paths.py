"""Text for a report without the grading machine's absolute paths.

A report is read by the learner (or shown by a CI page) on another machine: a path there is only
useful relative to what the learner has, their submission, and the grader's own files are named
as the kit names them (``grader/checks/...``).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from grader import KIT_ROOT

# The grader's scratch folders (the runner's and the gradebook's), wherever the temporary folder is.
SCRATCH = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s'\"<>]*?[\\/]mp-(?:grader|gradebook)-[^\\/\s'\"<>]+[\\/]")


def relative_paths(text: str, submission: str | Path) -> str:
    """``text`` with the submission's folder, the kit's, the scratch folders and Python's own written relative.

    A file in the submission becomes its path inside it (``ex01_create_process.py``), a grader file
    its path in the kit (``grader/checks/...``), a scratch file ``<scratch>/...``, a file of the
    Python that grades ``<python>/...``, and the home folder ``~``.
    """
    if not text:
        return text
    text = _replace(text, [(folder, "") for folder in _forms(Path(submission))])
    text = SCRATCH.sub("<scratch>/", text)
    return _replace(text, _machine_folders())


def _replace(text: str, prefixes: list[tuple[str, str]]) -> str:
    """``text`` with each folder (followed by a separator) replaced, the longest folder first."""
    for prefix, replacement in sorted(prefixes, key=lambda item: -len(item[0])):
        if len(prefix) > 1:
            text = text.replace(prefix + os.sep, replacement).replace(prefix + "/", replacement)
    return text


def _forms(folder: Path) -> set[str]:
    """The ways a folder may be written in a message: as given made absolute, and with links resolved."""
    return {str(folder.absolute()), str(folder.resolve())}


def _machine_folders() -> list[tuple[str, str]]:
    """The grading machine's folders that a message may name, and what each is written as."""
    found = [(folder, "") for folder in _forms(KIT_ROOT)]
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        found += [(folder, "<python>/") for folder in _forms(Path(prefix))]
    found += [(folder, "<tmp>/") for folder in _forms(Path(tempfile.gettempdir()))]
    home = os.path.expanduser("~")
    if home not in ("", "/", "~"):
        found.append((home, "~/"))
    return found
