"""One way to see every ``start()`` and ``join()`` of a process: wrap ``BaseProcess``'s own.

Every ``Process``, ``Pool`` worker and executor worker is started through
``multiprocessing.process.BaseProcess.start``, whatever the start method, so wrapping it (and
``join``) sees them all. Used by the grading process's registry and by the whole-program harness.
"""

from __future__ import annotations

import multiprocessing.process
import os
import time
from typing import Callable

from grader.inside.probes import target_name

Process = multiprocessing.process.BaseProcess


def watch_starts_and_joins(
    after_start: Callable[[Process, float, str], None],
    before_start: Callable[[Process], None] | None = None,
    before_join: Callable[[Process, float | None], None] | None = None,
    after_join: Callable[[Process, float | None], None] | None = None,
    clock: Callable[[], float] | None = None,
) -> Callable[[Process], None]:
    """Wrap ``BaseProcess.start`` and ``join`` in this process; return the original ``start``.

    The callbacks run only in the process that installs them (a forked child inherits the
    wrappers, not the watching): ``before_start(process)`` may raise to refuse the start;
    ``after_start(process, began, target)`` hears when it was asked to start and the qualified
    name of its target (``start()`` drops the target once the child has it); ``before_join`` and
    ``after_join`` hear each ``join(timeout)``.
    """
    now = clock or time.monotonic
    owner = os.getpid()
    original_start, original_join = Process.start, Process.join

    def start(process: Process) -> None:
        if os.getpid() != owner:
            return original_start(process)
        if before_start is not None:
            before_start(process)
        target = target_name(process)
        began = now()
        original_start(process)
        after_start(process, began, target)

    def join(process: Process, timeout: float | None = None) -> None:
        mine = os.getpid() == owner
        if mine and before_join is not None:
            before_join(process, timeout)
        original_join(process, timeout)
        if mine and after_join is not None:
            after_join(process, timeout)

    Process.start = start  # type: ignore[method-assign]
    Process.join = join  # type: ignore[method-assign]
    return original_start
