"""The checks, one module per exercise, named like the exercise's module.

Each module is a pytest test module run by the grading worker. A check is a ``test_*`` function
marked with :func:`check`, which makes its :class:`Check` record (title in both languages, points,
time limit, blame): the runner, the plugin and the reports read that record, nothing else. A check
raises :class:`~grader.messages.Mistake` for what the learner got wrong. A module's own texts are
its ``MESSAGES`` (see :func:`grader.messages.define`). The helpers below are what several exercises share.
"""

from __future__ import annotations

import bisect
import inspect
import itertools
import multiprocessing.connection
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import pytest

from grader.inside.observe import DIRECT_CALL, IN_NEW_PROCESS, IN_THREAD, VIA_RUN, Call, StartedProcess, has_sentinel

from ..messages import Mistake, Text

# Whom a process left running is blamed on when a check does not name the learner's function.
NO_BLAME = "your code"


@dataclass(frozen=True)
class Check:
    """One check of an exercise: what every reader (runner, plugin, reports, dev check) knows of it."""

    name: str  # the test function's name, as results and reports name the check
    title: Text
    points: int = 1
    time_limit: float | None = None  # its own limit, where it needs more than the worker's default
    blame: str = NO_BLAME  # the learner's function a process left running is blamed on

    @classmethod
    def unmarked(cls, name: str) -> Check:
        """What a ``test_*`` function without :func:`check` counts as (a maintainer's slip, still graded)."""
        return cls(name, Text(name, name))


# module name -> its checks in the order they are defined
_CHECKS: dict[str, dict[str, Check]] = {}


def check(en: str, zh: str, points: int = 1, timeout: float | None = None,
          blame: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make ``func`` a check: its title in English and Chinese, its points, and optionally its own time limit.

    ``blame`` names the learner's function that a process left running is blamed on.
    """

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        limit = float(timeout) if timeout is not None else None
        record = Check(func.__name__, Text(en, zh), points, limit, blame or NO_BLAME)
        _CHECKS.setdefault(func.__module__, {})[record.name] = record
        return pytest.mark.timeout(timeout)(func) if timeout is not None else func

    return mark


def checks_in(module: str) -> list[Check]:
    """The checks of checks module ``module`` (imported), in the order they are defined."""
    return list(_CHECKS.get(module, {}).values())


def check_named(module: str, name: str) -> Check:
    """The check ``name`` of checks module ``module``."""
    return _CHECKS.get(module, {}).get(name) or Check.unmarked(name)


def start_for_learner(process: Any) -> None:
    """Start a process the learner's code made; a target that cannot travel to the child is their mistake."""
    try:
        process.start()
    except Exception as exc:  # noqa: BLE001 - pickling fails with several exception types
        raise Mistake("cannot_pickle", error=f"{type(exc).__name__}: {exc}") from None


def expect_new_process(call: Call, caller_pid: int, function: str | None = None) -> None:
    """Fail unless ``call`` ran in a process of its own whose parent is the caller."""
    name = function or call.label
    if call.how == VIA_RUN:
        raise Mistake("ran_via_run", function=name, pid=call.pid)
    if call.how == IN_THREAD:
        raise Mistake("ran_in_thread", function=name, pid=call.pid, thread=call.thread_name)
    if call.how == DIRECT_CALL or call.pid == caller_pid:
        raise Mistake("ran_directly", function=name, pid=call.pid)
    assert call.how == IN_NEW_PROCESS


def expect_finished_cleanly(call: Call, function: str | None = None) -> None:
    """Fail if the call raised in its process (a stub counts as not written yet)."""
    if call.error is None:
        return
    name = function or call.label
    if call.error["type"] == "NotImplementedError":
        raise Mistake("not_implemented", function=name)
    raise Mistake("child_failed", function=name, error=call.error["type"], message=call.error["message"])


def expect_calls(calls: list[Call], function: str, expected: int) -> None:
    """Fail unless ``function`` was called exactly ``expected`` times."""
    if not calls:
        raise Mistake("never_ran", function=function, expected=expected)
    if len(calls) != expected:
        raise Mistake("ran_too_often", function=function, count=len(calls), expected=expected)


_KINDS = {kind.name: kind for kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                      inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.KEYWORD_ONLY,
                                      inspect.Parameter.VAR_KEYWORD)}


def stand_in(parameters: Any) -> Callable[..., Any]:
    """A function with the parameters a host or a program described (``records.parameters_of``), to bind a
    call's arguments to, where the checker never imports the learner's module; one that binds nothing
    where the description is missing or broken."""
    try:
        signature = inspect.Signature([
            inspect.Parameter(str(p["name"]), _KINDS[str(p["kind"])],
                              default=None if p["default"] else inspect.Parameter.empty)
            for p in parameters or []])
    except (KeyError, TypeError, ValueError):
        signature = inspect.Signature()

    def described(*args: Any, **kwargs: Any) -> None:
        """The learner's function, as far as its parameters go."""

    described.__signature__ = signature  # type: ignore[attr-defined]
    return described


def bound_arguments(func: Callable[..., Any], call: Call) -> dict[str, Any] | None:
    """The call's arguments bound to ``func``'s parameters, or None when they do not fit."""
    try:
        bound = inspect.signature(func).bind(*call.args, **call.kwargs)
    except TypeError:
        return None
    return dict(bound.arguments)


def timeline_bars(calls: Iterable[Call], origin: float) -> list[dict[str, Any]]:
    """Bars for the learner's timeline: one per call, times relative to ``origin``."""
    return [
        {"label": c.label, "pid": c.pid, "start": round(c.start - origin, 4),
         "end": round((c.end if c.end is not None else c.start) - origin, 4)}
        for c in calls
    ]


def wait_for_ends(entries: Iterable[StartedProcess], timeout: float) -> None:
    """Wait, up to ``timeout`` seconds, until every process of ``entries`` has ended.

    For processes the learner's code left running (a copier that never joins): the check reads
    their work only once they are done, and never waits longer than ``timeout``.
    """
    deadline = time.monotonic() + timeout
    running = [e.process.sentinel for e in entries if e.alive and has_sentinel(e)]
    while running and time.monotonic() < deadline:
        ended = multiprocessing.connection.wait(running, timeout=deadline - time.monotonic())
        running = [sentinel for sentinel in running if sentinel not in ended]


def meeting_patience(start_cost: float, time_limit: float) -> float:
    """Seconds the parties of a rendezvous wait for each other, for a check stopped after ``time_limit``.

    Correct code brings them together within a process start-up or two; 20 start-ups, measured in
    this run, cover a machine many times busier than any seen. Only code that keeps the parties
    apart waits the patience out, and it must still end inside the check's time limit to be told
    its own mistake rather than "timed out": hence at most half the limit.
    """
    return min(2.0 + 20 * start_cost, time_limit / 2)


# Rounding between two stamps of the same monotonic clock; far below the shortest delay (0.01 s).
CLOCK_SLACK = 0.0005


def first_pause_missing(output: Sequence[tuple[float, str]], word: str, num: int,
                        delay: float) -> tuple[int, float] | None:
    """(line, gap) of the first of the ``num`` ``word`` lines in ``output`` (time-stamped writes, in
    the order written) that began less than ``delay`` after the line before it ended.

    Each write is stamped as it is written, and time.sleep never returns early, so lines with a sleep
    between them are at least ``delay`` apart whatever the load: this cannot fail correct code, and
    unlike the whole call's time, a busy machine cannot make prints without a sleep look slow. Two
    lines in one write had no sleep between them: their gap is 0. A line written in pieces is timed
    from its first piece to its last. None when every gap is long enough, or when ``output`` does not
    hold ``word`` exactly ``num`` times (the count is judged before this).
    """
    text = "".join(chunk for _, chunk in output)
    ends = list(itertools.accumulate(len(chunk) for _, chunk in output))
    stamps = [t for t, _ in output]

    def stamp(at: int) -> float:
        return stamps[bisect.bisect_right(ends, at)]

    lines: list[tuple[float, float]] = []
    at = text.find(word)
    while at != -1:
        lines.append((stamp(at), stamp(at + len(word) - 1)))
        at = text.find(word, at + len(word))
    if len(lines) != num:
        return None
    for line in range(1, num):
        gap = lines[line][0] - lines[line - 1][1]
        if gap < delay - CLOCK_SLACK:
            return line + 1, gap
    return None
