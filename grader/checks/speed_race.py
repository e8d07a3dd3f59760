"""The timing framework of a speed check: the learner's parallel call raced against one process.

Used by ex11's checks. The grader times one process of its own computing the learner's
``sum_of_squares(0, stop)`` (started the same way, so both sides pay for a process start) side by
side with the learner's ``parallel_sum_of_squares(stop, workers)``, with ``sum_of_squares``
recorded in every process (its CPU time, its range), ``stop`` sized from a calibration of the
learner's loop in the same run, and the order alternating from one attempt to the next. An
:class:`Attempt` says what each measurement shows: whether the cores were free, whether the
speed-up shows, whether the call was slow for a reason of its own.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import time
from dataclasses import dataclass, field
from typing import Any

from grader.grading.fixtures import Grading, Observer, call_learner, call_patched
from grader.inside.observe import Call, StartedProcess

from ..messages import Mistake
from . import expect_finished_cleanly, machine

SUM = "sum_of_squares"
PARALLEL = "parallel_sum_of_squares"

# A part gets a core to itself when its CPU time is nearly its wall time; below this share of a
# core (or with the CPU cost per number this much above one process's), the cores were not free.
FREE_SHARE = 0.8
FREE_SLOWDOWN = 1.3
# One process's time over the parallel call's: at or above this the speed-up is shown. Correct
# code on two free cores falls below it now and then (the CPU cost of a number varies from one run
# to the next, and a start-up weighs on short work), hence up to TRIES tries.
SPEEDUP = 1.2
# The calling process using this share of a core during the call was busy itself, not waiting.
HOG = 0.5
TRIES = 3
RACE_WORKERS = 2
# The time limit of the checks that race the parts (the race's tries and their patience included).
RACE_LIMIT = 60.0


@dataclass
class Parallel:
    """One call of parallel_sum_of_squares with sum_of_squares recorded (in its processes too)."""

    stop: int
    workers: int
    called: float = 0.0
    returned: float = 0.0
    result: Any = None
    failure: Mistake | None = None
    parent_cpu: float = 0.0  # CPU the grading process (the caller) used during the call
    calls: list[Call] = field(default_factory=list)
    started: list[StartedProcess] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.returned - self.called

    @property
    def parts(self) -> list[Call]:
        return [c for c in self.calls if c.finished]


def call_parallel(learner: Any, grading: Grading, watcher: Observer, stop: int, workers: int,
                   patience: float | None, start_cost: float) -> Parallel:
    """Call parallel_sum_of_squares(stop, workers) with its parts recorded; with ``patience``, make
    the parts meet in pairs if they run at the same time."""
    run = Parallel(stop, workers)
    meeting = watcher.rendezvous("parts", parties=2, patience=patience) if patience else None
    watcher.patch(learner, SUM, rendezvous=meeting, in_children=True)
    # More CPUs than workers, on every machine: a pool sized by the machine, not by workers, always shows.
    with machine.cpus_seen(workers + 3):
        call = call_patched(grading, watcher, getattr(learner, PARALLEL), stop, workers)
    run.result, run.called, run.returned, run.failure = call.result, call.called, call.returned, call.failure
    run.parent_cpu, run.started = call.parent_cpu, call.started
    # Code that forgot to wait returns while parts still run: let them end before reading records.
    deadline = time.monotonic() + (patience or 0) + 5.0 + 20 * start_cost
    while any(not c.finished for c in watcher.calls(SUM)) and time.monotonic() < deadline:
        running = [e.process.sentinel for e in run.started if e.alive]
        if not running:
            break
        multiprocessing.connection.wait(running, timeout=min(0.1, max(0.0, deadline - time.monotonic())))
    run.calls = watcher.calls(SUM)
    return run


@dataclass
class OneProcess:
    """One process of the grader's doing all the work: how long it took, and the CPU it got."""

    seconds: float  # from start() to joined, as the parallel call's time includes its processes
    computing: float
    cpu: float

    @property
    def start_cost(self) -> float:
        """Seconds it took to start and join this process, besides computing: the cost of a process now."""
        return max(0.0, self.seconds - self.computing)


@dataclass
class Attempt:
    """One side-by-side measurement: one process, then the learner's parallel call (or the reverse)."""

    one: OneProcess
    parallel: Parallel

    @property
    def ratio(self) -> float:
        return self.one.seconds / max(self.parallel.seconds, 1e-9)

    @property
    def span(self) -> tuple[float, float]:
        """From the start of the first part to the end of the last (the whole call if none finished)."""
        parts = self.parallel.parts
        if not parts:
            return self.parallel.called, self.parallel.returned
        return min(c.start for c in parts), max(c.end for c in parts)  # type: ignore[type-var]

    @property
    def cores(self) -> float:
        """Cores busy with the parts on average while they ran (CPU over wall span)."""
        first, last = self.span
        return sum(c.cpu or 0.0 for c in self.parallel.parts) / max(last - first, 1e-9)

    @property
    def part_share(self) -> float:
        """Share of a core each part got while it ran, on average."""
        parts = self.parallel.parts
        return sum(c.cpu or 0.0 for c in parts) / max(sum(c.end - c.start for c in parts), 1e-9)  # type: ignore[operator]

    @property
    def one_share(self) -> float:
        return self.one.cpu / max(self.one.computing, 1e-9)

    @property
    def slowdown(self) -> float:
        """CPU the parts needed per number over what one process needed (above 1: cores slowed each other)."""
        return sum(c.cpu or 0.0 for c in self.parallel.parts) / max(self.one.cpu, 1e-9)

    @property
    def free(self) -> bool:
        """Whether the measurements show two free cores: each side got its cores, at full speed."""
        return (self.one_share >= FREE_SHARE and self.part_share >= FREE_SHARE
                and self.slowdown <= FREE_SLOWDOWN)

    @property
    def shown(self) -> bool:
        return self.ratio >= SPEEDUP

    def clearly_slow(self, enough_work: bool) -> bool:
        """Whether, on free cores, the call was slower than one process for a reason of its own.

        Either the parts did not compute at the same time (a lock?; judged only when the parts
        are long enough to time), or the call wasted time of its own: before it started its first
        process, or after its last part had ended (a sleep, a polling loop). How long its
        processes took to start is not held against it: that depends on the start method, which
        the learner's code may choose.
        """
        if self.ratio >= 1.0:
            return False
        return (enough_work and self.cores < 1.2) or self.wasted > 0.25 + self.one.start_cost

    @property
    def wasted(self) -> float:
        """Seconds of the call before its first process started, and after its last part ended."""
        run = self.parallel
        first_start = min((e.started for e in run.started), default=run.called)
        return max(0.0, first_start - run.called) + max(0.0, self.breakdown()["after"])

    def summary(self) -> dict[str, float | bool]:
        """Every measurement of this attempt, rounded (kept in the results, for whoever tunes the check)."""
        numbers = {"one": self.one.seconds, "parallel": self.parallel.seconds, "ratio": self.ratio,
                   "cores": self.cores, "part_share": self.part_share, "one_share": self.one_share,
                   "slowdown": self.slowdown, "parent_cpu": self.parallel.parent_cpu, "wasted": self.wasted,
                   "start_cost": self.one.start_cost, **self.breakdown()}
        return {**{k: round(v, 3) for k, v in numbers.items()}, "free": self.free}

    def breakdown(self) -> dict[str, float]:
        """Where the parallel call's time went: before the first part, computing, after the last."""
        first, last = self.span
        run = self.parallel
        return {"before": first - run.called, "computing": last - first, "after": run.returned - last}


@dataclass
class Race:
    """parallel_sum_of_squares and one process, timed side by side on work sized for this machine."""

    stop: int = 0
    workers: int = RACE_WORKERS
    patience: float = 0.0
    work: float = 0.0  # CPU seconds one process needs for sum_of_squares(0, stop), from the calibration
    no_loop: tuple[int, float] | None = None  # (n, CPU seconds) when sum_of_squares did not loop
    failure: Mistake | None = None
    attempts: list[Attempt] = field(default_factory=list)
    watchers: list[Observer] = field(default_factory=list)

    @property
    def first(self) -> Parallel:
        return self.attempts[0].parallel


def calibrate(learner: Any, grading: Grading) -> tuple[int, float]:
    """Grow n until sum_of_squares(0, n) takes a measurable CPU time here; return n and that CPU time.

    CPU time, not wall time: a busy machine stretches the wall time of even a formula.
    """
    n = 1 << 14
    while True:
        cpu = time.thread_time()
        call_learner(grading, getattr(learner, SUM), 0, n)
        used = time.thread_time() - cpu
        if used >= 0.02 or n >= 1 << 30:
            return n, used
        n <<= 1


def one_process(learner: Any, grading: Grading, watcher: Observer, stop: int, limit: float) -> OneProcess:
    """Time one process of the grader's computing the learner's sum_of_squares(0, stop), start to join.

    Its target is a probe of sum_of_squares, like the parts of the parallel call, so both sides
    import the same modules in their processes and pay the same for recording.
    """
    context = multiprocessing.get_context(grading.start_method)
    probe = watcher.probe(getattr(learner, SUM), label="one")
    process = context.Process(target=probe, args=(0, stop), name="grader-one-process")
    began = time.monotonic()
    grading.registry.start_unrecorded(process)
    process.join(limit)
    if process.is_alive():
        process.kill()
        process.join()
    seconds = time.monotonic() - began
    calls = [c for c in watcher.calls("one") if c.finished]
    if not calls:
        raise Mistake("child_failed", function=SUM, error=f"exit code {process.exitcode}",
                      message=f"sum_of_squares(0, {stop}) did not finish in a process of its own")
    expect_finished_cleanly(calls[0], SUM)
    call = calls[0]
    return OneProcess(seconds, call.end - call.start, call.cpu or 0.0)  # type: ignore[operator]


def attempt(race: Race, learner: Any, grading: Grading, start_cost: float) -> Attempt:
    """Time one process and the parallel call, in the order that alternates from one attempt to the next."""
    index = len(race.attempts)
    watcher = Observer(grading, grading.scratch / f"race-{index}")
    race.watchers.append(watcher)
    limit = 60.0 + 100 * start_cost
    one_first = index % 2 == 0
    one = one_process(learner, grading, watcher, race.stop, limit) if one_first else None
    run = call_parallel(learner, grading, watcher, race.stop, race.workers, race.patience, start_cost)
    if one is None:
        one = one_process(learner, grading, watcher, race.stop, limit)
    attempt = Attempt(one, run)
    race.attempts.append(attempt)
    return attempt


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
