"""Watch mode: grade the exercises, then each one again whenever its file is saved, until a key or Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import select
import sys
from pathlib import Path
from typing import Callable, Iterator, Sequence

from grader import catalogue
from grader.grading import cleanup

POLL = 0.3  # seconds between looks at the files; also how long a keypress may wait to be seen

Snapshot = dict[str, tuple[float, int]]


def snapshot(folder: Path, exercises: Sequence[catalogue.Exercise] = catalogue.EXERCISES) -> Snapshot:
    """Modification time and size of the module of each of ``exercises`` that is in ``folder``."""
    seen = {}
    for exercise in exercises:
        try:
            stat = (folder / exercise.filename).stat()
        except OSError:
            continue
        seen[exercise.module] = (stat.st_mtime, stat.st_size)
    return seen


def changed(before: Snapshot, after: Snapshot) -> list[catalogue.Exercise]:
    """The exercises whose file appeared or changed, in catalogue order."""
    return [e for e in catalogue.EXERCISES if e.module in after and before.get(e.module) != after[e.module]]


@contextlib.contextmanager
def keys() -> Iterator[Callable[[float], bool]]:
    """A function that waits up to ``timeout`` seconds and tells whether a key was pressed.

    Without a terminal on stdin no key can be pressed: it only waits (Ctrl-C still stops).
    """
    if not sys.stdin.isatty():
        yield _sleep
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)  # keys arrive one by one, unechoed; Ctrl-C still interrupts
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


def watch(folder: Path, exercises: Sequence[catalogue.Exercise],
          grade: Callable[[list[catalogue.Exercise], bool], None]) -> None:
    """Call ``grade(exercises, False)``, then ``grade(saved, True)`` for the exercises saved since, until a key or Ctrl-C.

    A file is graded once it has stayed the same for one look, so an editor caught halfway
    through writing it is not graded on half a file.
    """
    try:
        with keys() as pressed:
            graded = last = snapshot(folder, exercises)
            grade(list(exercises), False)
            while not pressed(POLL):
                now = snapshot(folder, exercises)
                if now != last:
                    last = now
                    continue
                saved = changed(graded, now)
                graded = now
                if saved:
                    grade(saved, True)
    except cleanup.Terminated:
        raise  # stopped from outside (SIGTERM, a closed terminal): the command ends as killed
    except KeyboardInterrupt:
        pass
