"""A gate the learner's child processes wait at until the grader lets each of them through.

This is the child's half (light to import: a ``spawn`` child imports it before the learner's code
runs). A call that reaches :meth:`Gate.pass_through` announces itself with a file in
``<folder>/arrived`` and waits until the grader writes ``<folder>/open/<token>`` (this call) or
``<folder>/open/all`` (everyone); when its work is done it says so in ``<folder>/left``. The grader's half, which decides who goes through when, is
:mod:`grader.grading.gatekeeper`. Files, not pipes or locks, because a gate must work the same
under ``fork``, ``spawn`` and ``forkserver``, in processes the learner started and in pool workers.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

ARRIVED = "arrived"
LEFT = "left"
OPEN = "open"
EVERYONE = "all"


@dataclass(frozen=True)
class Gate:
    """A gate in ``folder``; a call never waits longer than ``patience`` seconds (a grader that died opens nothing)."""

    folder: str
    patience: float

    def pass_through(self) -> str:
        """Announce this call and wait until the grader opens the gate for it; return the call's token."""
        folder = Path(self.folder)
        token = f"{os.getpid()}-{os.urandom(4).hex()}"
        opened = folder / OPEN
        arrived = folder / ARRIVED
        arrived.mkdir(parents=True, exist_ok=True)
        (arrived / token).write_text("")
        began = time.monotonic()
        mine, everyone = opened / token, opened / EVERYONE
        while not (mine.exists() or everyone.exists()):
            if time.monotonic() - began >= self.patience:
                break
            # The grader is another process with no handle to block on that works across start
            # methods and pools; a stat every millisecond costs nothing next to a process start.
            time.sleep(0.001)
        return token

    def leave(self, token: str) -> None:
        """Say that the call ``token`` has done its work (a pool worker lives on to take other calls)."""
        left = Path(self.folder) / LEFT
        left.mkdir(parents=True, exist_ok=True)
        (left / token).write_text("")


def pid_of(token: str) -> int:
    """The pid of the process whose call announced itself as ``token``."""
    return int(token.split("-", 1)[0])
