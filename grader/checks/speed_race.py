"""The race of a speed check: the learner's parallel call against one process, as the checker judges it.

Used by ex11's checks. The learner host plays both sides (grader.inside.scenes.ex11_cpu_speedup): one
process of the grader's computing the learner's ``sum_of_squares(0, stop)`` (started the same way, so
both sides pay for a process start), and the learner's ``parallel_sum_of_squares(stop, workers)``, with
``sum_of_squares`` recorded in every process, ``stop`` sized from a calibration of the learner's loop in
the same run, and the order alternating from one attempt to the next. The checker frames each side
with its own clock (when it asked for the scene, when the answer came), takes the processes and the
moment each part began from the witness and the caller's CPU from the kernel; each part's end and CPU
time are the host's records. An :class:`Attempt` says what each measurement shows: whether the cores
were free, whether the speed-up shows, whether the call was slow for a reason of its own.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import psutil

from grader.grading.host_channel import Played, Scene, SeenCall

from ..messages import Mistake
from . import expect_finished_cleanly

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


@dataclass(frozen=True)
class Part:
    """One call of sum_of_squares seen by the witness, with what the host recorded of it: its CPU time and
    whether it met another part at the rendezvous."""

    call: SeenCall
    cpu: float | None
    met: bool

    @property
    def finished(self) -> bool:
        return self.call.end is not None

    def __getattr__(self, name: str) -> Any:  # label, pid, how, start, end, error, args... of the call
        return getattr(self.call, name)


@dataclass(frozen=True)
class Started:
    """A process the learner's call started, as the host's registry saw it."""

    pid: int
    target: str
    started: float
    ended: float | None

    @property
    def serves_a_manager(self) -> bool:
        """Whether this is a Manager's server process: it holds shared objects and does none of the work."""
        return self.target.startswith("multiprocessing.managers.")


@dataclass
class Parallel:
    """One call of parallel_sum_of_squares with sum_of_squares recorded (in its processes too)."""

    stop: int
    workers: int
    called: float = 0.0  # when the checker asked for the call (its own clock)
    returned: float = 0.0  # when the host's answer came
    result: Any = None
    failure: Mistake | None = None
    parent_cpu: float = 0.0  # CPU the caller (the host) used meanwhile, as the kernel counts it
    calls: list[Any] = field(default_factory=list)  # Part, or anything with its attributes
    started: list[Any] = field(default_factory=list)  # Started

    @property
    def seconds(self) -> float:
        return self.returned - self.called

    @property
    def parts(self) -> list[Any]:
        return [c for c in self.calls if c.finished]


@dataclass
class OneProcess:
    """One process of the grader's doing all the work: how long it took, and the CPU it got."""

    seconds: float  # start to join, framed as the parallel call is (the checker's clock), so both pay the same
    computing: float  # from when the witness saw its call begin to the call's end
    cpu: float  # the host's record

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
    caller: int = 0  # the pid of the process that called the learner's function (the host)
    start_cost: float = 0.0  # the cost of a process start in the host, as it measured it
    attempts: list[Attempt] = field(default_factory=list)
    leak: Mistake | None = None  # processes an attempt left running, told when the race is over
    scene: Any = None  # the host's Scene the attempts are played in


    @property
    def first(self) -> Parallel:
        return self.attempts[0].parallel


class Returned:
    """A value the learner's function returned in the host, as the host described it (not an int)."""

    def __init__(self, described: dict[str, Any]) -> None:
        self.type_name = str(described.get("type", "?"))
        self.text = str(described.get("repr", "?"))

    def __repr__(self) -> str:
        return self.text


def returned(described: Any) -> Any:
    """The int a learner's function returned (as the host described it), or a stand-in that is no int."""
    if isinstance(described, dict) and isinstance(described.get("int"), int):
        return described["int"]
    return Returned(described if isinstance(described, dict) else {})


def type_name(value: Any) -> str:
    """The name of the type of a value the learner's function returned."""
    return value.type_name if isinstance(value, Returned) else type(value).__name__


def forged(scene: Scene, what: str) -> Mistake:
    """The host sent what it cannot have sent untouched: the checker reports it on the runner's tamper pipe."""
    scene.channel.report(what)
    return Mistake("tampered", what=what)


def _timed(scene: Scene, name: str, **args: Any) -> tuple[Played, float, float, float]:
    """Play ``name``, framed by the checker's own clock: the scene played, when it was asked for, when its
    answer came, and the CPU seconds the host used meanwhile, as the kernel counts them."""
    host = psutil.Process(scene.channel.pid)
    cpu = sum(host.cpu_times()[:2])
    called = time.monotonic()
    played = scene.play(name, **args)
    answered = time.monotonic()
    return played, called, answered, sum(host.cpu_times()[:2]) - cpu


def _parts(played: Played) -> list[Part]:
    """The calls of sum_of_squares seen, each with its CPU time and whether it met, as the host recorded them.

    A meeting the host records counts only where the witness bears it out: the part's call and another
    process's overlapped, each begun (shown to the witness) before the other's outcome had been sent.
    """
    paired = played.with_records(SUM)
    parts = []
    for call, record in paired:
        met = bool((record.get("rendezvous") or {}).get("met"))
        if met and call.witnessed:
            met = any(other.pid != call.pid and call.under_way_with(other) for other, _ in paired)
        cpu = record.get("cpu")
        parts.append(Part(call, float(cpu) if isinstance(cpu, (int, float)) else None, met))
    return parts


def parallel_call(scene: Scene, stop: int, workers: int, patience: float | None) -> Parallel:
    """parallel_sum_of_squares(stop, workers) played in the host with its parts recorded; with ``patience``,
    the parts meet in pairs if they run at the same time."""
    played, called, answered, cpu = _timed(scene, "parallel", stop=stop, workers=workers, patience=patience)
    run = Parallel(stop, workers, called=called, returned=answered, parent_cpu=cpu, calls=_parts(played))
    seen = played.observation
    run.failure = played.kept_mistake("call_failure")
    try:
        run.result = returned(seen.get("result"))
        run.started = [Started(int(e["pid"]), str(e["target"]), float(e["started"]),
                               None if e.get("ended") is None else float(e["ended"]))
                       for e in seen.get("started", [])]
    except (KeyError, TypeError, ValueError):
        raise forged(scene, "a record of the processes started that is not one") from None
    return run


def one_process(scene: Scene, stop: int, limit: float) -> OneProcess:
    """One process of the grader's computing the learner's sum_of_squares(0, stop), played in the host."""
    played, called, answered, _ = _timed(scene, "one_process", stop=stop, limit=limit)
    calls = [(call, record) for call, record in played.with_records("one") if call.end is not None]
    if not calls:
        exitcode = played.observation.get("exitcode")
        raise Mistake("child_failed", function=SUM, error=f"exit code {exitcode if isinstance(exitcode, int) else '?'}",
                      message=f"sum_of_squares(0, {stop}) did not finish in a process of its own")
    call, record = calls[0]
    expect_finished_cleanly(call, SUM)  # type: ignore[arg-type]
    cpu = record.get("cpu") if isinstance(record.get("cpu"), (int, float)) else 0.0
    return OneProcess(answered - called, call.end - call.start, float(cpu))  # type: ignore[operator]


def attempt(race: Race) -> Attempt:
    """Time one process and the parallel call, in the order that alternates from one attempt to the next;
    what the attempt left running is stopped before the next is timed (a leak is kept for the race's end)."""
    limit = 60.0 + 100 * race.start_cost
    one_first = len(race.attempts) % 2 == 0
    one = _one_then_clean(race, limit) if one_first else None
    run = parallel_call(race.scene, race.stop, race.workers, race.patience)
    _clean(race)
    if one is None:
        one = _one_then_clean(race, limit)
    made = Attempt(one, run)
    race.attempts.append(made)
    return made


def _one_then_clean(race: Race, limit: float) -> OneProcess:
    one = one_process(race.scene, race.stop, limit)
    _clean(race)
    return one


def _clean(race: Race) -> None:
    try:
        race.scene.raise_leak()
    except Mistake as leak:
        race.leak = race.leak or leak


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
