"""When the runner stops a worker as hung: each check on a clock of its own.

A check is stopped at its limit inside the worker (pytest-timeout, or the learner host's alarm),
and its result line follows at once. Only code that swallows that stop (``except BaseException``
in a loop) keeps the worker from writing it: the runner then stops the worker itself. It used
to wait for the sum of every check's limit, so one such hang in the first of three checks kept
a learner waiting for all three; now each check is given its own limit from the moment the
previous check's result arrived (the worker's start for the first), and the sum stays the bound
of the whole worker (its start, the checks, its end).
"""

from __future__ import annotations

import time
from typing import Callable

from grader.checks import Check

# Beyond the sum of its checks' time limits, what a worker may take to start, import and clean up.
# The first check's clock runs from the worker's fork, so it is given this in place of CHECK_MARGIN.
# (A worker forked on an idle machine reaches its first check in 0.07-0.15 s.)
WORKER_MARGIN = 10.0

# What a check may take past its own limit before the runner stops its worker: the worker's
# report of the stop and its result line (pytest-timeout's limit covers the check's setup and
# teardown too; in a hosted exercise's checker only its call, the host's own clock bounding the
# rest). A check stopped at its limit writes its line well under a second later even on a loaded
# machine; the margin leaves room for a scheduler that starves the worker for seconds.
CHECK_MARGIN = 5.0


def check_limit(check: Check, check_timeout: float) -> float:
    """Seconds ``check`` may run: its own limit or the run's, the longer (as the worker's deadline counts it)."""
    return max(check.time_limit or 0.0, check_timeout)


def worker_deadline(checks: list[Check], check_timeout: float) -> float:
    """Seconds a worker may take for ``checks``: each its own limit or ``check_timeout``, and a margin."""
    return sum(check_limit(check, check_timeout) for check in checks) + WORKER_MARGIN


class Clock:
    """The deadlines of one worker's checks, read against how many result lines it has written so far.

    ``grace`` is added to each check (the checker of a hosted exercise waits ``HOST_GRACE`` longer
    than the learner host's alarm).
    """

    def __init__(self, checks: list[Check], check_timeout: float, grace: float,
                 lines_written: Callable[[], int]) -> None:
        self.limits = [check_limit(check, check_timeout) for check in checks]
        self.grace = grace
        self.total = sum(self.limits) + len(self.limits) * grace + WORKER_MARGIN
        self._lines_written = lines_written
        self._began = time.monotonic()
        self._done = 0
        self._since = self._began  # when the check now running began (the previous result line)

    def overdue(self) -> float | None:
        """If the check now running (or the whole worker) is past its deadline, the seconds it was given; else None."""
        now = time.monotonic()
        done = min(self._lines_written(), len(self.limits))
        if done > self._done:
            self._done, self._since = done, now
        if now - self._began > self.total:
            return self.total
        if self._done < len(self.limits) and now - self._since > self._allowed(self._done):
            return self.limits[self._done]
        return None

    def _allowed(self, index: int) -> float:
        """Seconds check ``index`` may take from the previous result line; the first, from the fork, with the
        worker's margin in place of the check's (the worker's start and the first report)."""
        return self.limits[index] + self.grace + (WORKER_MARGIN if index == 0 else CHECK_MARGIN)

    def left(self) -> float:
        """Seconds until the earliest deadline now in force (never below zero)."""
        now = time.monotonic()
        left = self._began + self.total - now
        if self._done < len(self.limits):
            left = min(left, self._since + self._allowed(self._done) - now)
        return max(left, 0.0)
