"""A problem the self-check found: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One disagreement in the kit, told so a maintainer can fix it without reading the self-check."""

    where: str  # a file, with its line when one is to blame: grader/checks/ex03_multitasking.py:73
    what: str  # what is wrong, naming the key, function or file
    fix: str  # what to do, and the command that shows it is fixed

    def __str__(self) -> str:
        return f"{self.where}: {self.what}\n    fix: {self.fix}"


def place(path: Path, root: Path, line: int | None = None) -> str:
    """``path`` relative to the kit's root (as a maintainer types it), with ``line`` when given."""
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return f"{shown}:{line}" if line else shown
