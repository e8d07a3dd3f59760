"""Stop a learner's call as hung as soon as the grader knows it waits for something that will never come.

A check's time limit (pytest-timeout, by ``SIGALRM``) is the last resort: it costs the learner, and
the kit's own suite, the whole limit for every hang. Often the grader knows much sooner: every copy
the call handed out has ended (each process that ran one has exited, or every file is copied and
the failed one's error delivered) and the call still has not returned. A correct caller then has
nothing left but to read what it already holds and return: the time that takes is bounded by the
machine's pace, which the check measured in this run (``start_cost``), not by a fixed guess.

:class:`CallerStuck` asks the check's ``settled`` question from a thread of its own; once the
answer has stayed yes for ``grace`` seconds without the call returning, it brings the check's own
limit forward (the pending ``ITIMER_REAL`` alarm fires now), so the call is stopped exactly as at
the limit, by the same handler, and the check tells the hang by :func:`fixtures.is_timeout`, now
knowing why (``fired``). Where no limit is pending (another timeout method, no ``setitimer``),
nothing is brought forward and the limit stays the only stop.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Callable

# How often the question is asked: a settled call is told it hung within this of its grace.
POLL_INTERVAL = 0.05


def grace_after_settled(start_cost: float) -> float:
    """Seconds a call may still take once everything it waits for has happened: a second and ten
    process starts measured in this run. What is left for a correct caller costs less than one
    start and join (joins of processes that have exited, results already delivered, a pool's
    workers leaving together), and the start cost grows with the machine's load as that does."""
    return 1.0 + 10 * start_cost


class CallerStuck:
    """Around the call of a learner's function, in the thread that makes it (the main thread)."""

    def __init__(self, settled: Callable[[], bool], grace: float) -> None:
        self.settled = settled
        self.grace = grace
        self.fired = False  # the limit was brought forward: the call was stopped as hung
        self.settled_for = 0.0  # how long it had been settled when it was stopped
        self._lock = threading.Lock()
        self._over = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="grader-caller-stuck", daemon=True)

    def __enter__(self) -> "CallerStuck":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._over = True
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        since: float | None = None
        while not self._stop.wait(POLL_INTERVAL):
            try:
                settled = self.settled()
            except Exception:  # a half-made record, a process torn down: not known to be settled
                settled = False
            now = time.monotonic()
            if not settled:
                since = None
                continue
            since = now if since is None else since
            if now - since >= self.grace:
                self._fire(now - since)
                return

    def _fire(self, settled_for: float) -> None:
        if not hasattr(signal, "setitimer") or not callable(signal.getsignal(signal.SIGALRM)):
            return  # nothing to bring forward: the limit stays the only stop
        with self._lock:
            if self._over or signal.getitimer(signal.ITIMER_REAL)[0] <= 0:
                return
            self.fired = True
            self.settled_for = settled_for
            signal.setitimer(signal.ITIMER_REAL, 1e-3)
