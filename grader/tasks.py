"""Tasks the grader hands to the learner's code, to run in the processes it starts.

Module-level functions, so that ``spawn`` and ``forkserver`` children can import them; the
grader wraps each in a :class:`~grader.observe.Probe`, which records how and where it ran.
"""

from __future__ import annotations

import multiprocessing
import sys
import time


def _in_child() -> bool:
    return multiprocessing.parent_process() is not None


def do_nothing(*args: object, **kwargs: object) -> None:
    """Accept any arguments and do nothing: the probe records what arrived."""


def exit_with(code: int, delay: float = 0.0) -> None:
    """Sleep ``delay``, then end the process with exit code ``code`` (only in a child process)."""
    time.sleep(delay)
    if _in_child():
        sys.exit(code)


def fail() -> None:
    """Raise in the child, so that its exit code is 1 (only in a child process)."""
    if _in_child():
        raise RuntimeError("this task fails on purpose")
