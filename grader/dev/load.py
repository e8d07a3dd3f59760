"""What the stress run and the benchmark share: the exercises to grade, and a busy machine on demand."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator, Sequence

from grader import KIT_ROOT, catalogue, cli

ROOT = KIT_ROOT
SOLUTIONS = ROOT / "solutions"

# One busy process: spins until killed, or until the process that started it is gone (its parent
# pid changes), so not even a SIGKILL of the stress run leaves a core spinning. Ctrl-C is left to
# the parent, which kills it.
BUSY_LOOP = """\
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
parent = int(sys.argv[1])
while os.getppid() == parent:
    for _ in range(100_000):
        pass
"""


def exercises_to_grade(names: Sequence[str]) -> list[catalogue.Exercise]:
    """The exercises named (``--only``; all when none is named) that have checks, in catalogue order.

    Raises :class:`grader.cli.UsageError` for a name that is not an exercise.
    """
    return [e for e in cli.select(names) if e.checks_path.exists()]


@contextmanager
def busy_cores(count: int) -> Iterator[list[subprocess.Popen]]:
    """Keep ``count`` cores busy (one spinning process each) until the block ends, however it ends."""
    spinners: list[subprocess.Popen] = []
    try:
        for _ in range(count):
            spinners.append(subprocess.Popen([sys.executable, "-c", BUSY_LOOP, str(os.getpid())],
                                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL))
        yield spinners
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait()


def positive(text: str) -> int:
    """A count from the command line: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def python_line() -> str:
    """``Python 3.11.7 on linux, 2 cores``: where figures were measured."""
    version = ".".join(str(part) for part in sys.version_info[:3])
    return f"Python {version} on {sys.platform}, {os.cpu_count()} cores"
