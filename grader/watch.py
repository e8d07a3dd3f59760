"""Watch mode: grade the exercise being edited each time its file is saved, until a key or Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import select
import sys
from pathlib import Path
from typing import Callable, Iterator

from . import catalogue

POLL = 0.3  # seconds between looks at the files; also how long a keypress may wait to be seen


def snapshot(folder: Path) -> dict[str, tuple[float, int]]:
    """Modification time and size of every exercise module in ``folder``."""
    seen = {}
    for exercise in catalogue.EXERCISES:
        path = folder / exercise.filename
        try:
            stat = path.stat()
        except OSError:
            continue
        seen[exercise.module] = (stat.st_mtime, stat.st_size)
    return seen


def changed(before: dict[str, tuple[float, int]], after: dict[str, tuple[float, int]]) -> list[catalogue.Exercise]:
    """The exercises whose file appeared or changed, in catalogue order."""
    return [e for e in catalogue.EXERCISES if e.module in after and before.get(e.module) != after[e.module]]


@contextlib.contextmanager
def keys() -> Iterator[Callable[[float], bool]]:
    """A function that waits up to ``timeout`` seconds and tells whether a key was pressed."""
    if not sys.stdin.isatty():
        yield lambda timeout: _sleep(timeout)
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    try:
        def pressed(timeout: float) -> bool:
            ready, _, _ = select.select([fd], [], [], timeout)
            if ready:
                os.read(fd, 32)
            return bool(ready)

        yield pressed
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _sleep(timeout: float) -> bool:
    select.select([], [], [], timeout)
    return False


def watch(folder: Path, grade: Callable[[list[catalogue.Exercise]], None], say: Callable[[str], None],
          first: list[catalogue.Exercise]) -> None:
    """Grade ``first`` now, then each exercise whose file is saved, until a key is pressed or Ctrl-C."""
    grade(first)
    seen = snapshot(folder)
    try:
        with keys() as pressed:
            while not pressed(POLL):
                now = snapshot(folder)
                edited = changed(seen, now)
                seen = now
                if edited:
                    grade(edited)
    except KeyboardInterrupt:
        pass
    say("")
