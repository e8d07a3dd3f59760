"""The machine as the learner's code sees it: a number of CPUs the grader chooses.

Code that sizes a pool by ``os.cpu_count()`` instead of the number it was given would pass on a
machine with few cores and fail on one with many; while the learner's function runs, every way of
asking (``os.cpu_count``, ``os.process_cpu_count``, ``multiprocessing.cpu_count``,
``os.sched_getaffinity``) answers the grader's number, so the same code gets the same grade on 2
cores and on 16. Only the process that calls the learner's function is patched (the grading
process, or the learner host of a hosted exercise: ex10): that is where pools and executors read it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from typing import Any, Iterator


@contextlib.contextmanager
def cpus_seen(count: int) -> Iterator[None]:
    """While inside, the learner's code (in this process) sees ``count`` CPUs, however many there are."""
    patched: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, value: Any) -> None:
        if hasattr(owner, name):
            patched.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)

    patch(os, "cpu_count", lambda: count)
    patch(os, "process_cpu_count", lambda: count)
    patch(os, "sched_getaffinity", lambda pid=0: set(range(count)))
    # multiprocessing.cpu_count is bound to the default context, whose method asks os.cpu_count.
    patch(multiprocessing, "cpu_count", lambda: count)
    try:
        yield
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)
