"""What ex11's checks know of sums of squares: the closed formula, and the parts a parallel call made.

A part is one recorded call of ``sum_of_squares(start, stop)``; the parts of a right parallel call
cover ``range(0, stop)`` exactly once.
"""

from __future__ import annotations

from typing import Any

from grader.inside.observe import Call

from . import bound_arguments


def squares_between(start: int, stop: int) -> int:
    """The sum of i*i for start <= i < stop, by formula (negative numbers too; 0 when empty)."""

    def below(n: int) -> int:  # 0*0 + 1*1 + ... + (n-1)*(n-1), for n >= 0
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0

    if start >= stop:
        return 0
    if start >= 0:
        return below(stop) - below(start)
    if stop <= 0:  # the squares of -start, ..., -stop + 1
        return below(-start + 1) - below(-stop + 1)
    return below(-start + 1) + below(stop)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def range_of(call: Call) -> tuple[int, int] | None:
    """The (start, stop) a recorded call of sum_of_squares was given, or None when unreadable."""
    bound = bound_arguments(_signature_of_sum, call)
    if bound is None:
        return None
    start, stop = bound.get("start"), bound.get("stop")
    if not (is_int(start) and is_int(stop)):
        return None
    return start, stop


def _signature_of_sum(start: Any, stop: Any) -> None:
    """The parameters of sum_of_squares as the contract names them (to bind recorded arguments)."""


def describe_parts(calls: list[Call], origin: float | None = None, limit: int = 8) -> str:
    """The parts as ``[a, b) in pid P`` (with times from ``origin`` when given), the first ``limit`` of them."""
    shown = []
    for call in sorted(calls, key=lambda c: (range_of(c) or (0, 0), c.start))[:limit]:
        span = range_of(call)
        text = f"[{span[0]}, {span[1]})" if span else f"args={tuple(call.args)!r} kwargs={call.kwargs!r}"
        text += f" pid {call.pid}"
        if origin is not None and call.end is not None:
            text += f" {call.start - origin:.2f}-{call.end - origin:.2f} s"
        shown.append(text)
    if len(calls) > limit:
        shown.append(f"... (+{len(calls) - limit})")
    return ", ".join(shown) if shown else "(none)"


def cover_problem(calls: list[Call], stop: int) -> bool:
    """Whether the parts fail to cover range(0, stop) exactly once (empty parts are ignored)."""
    spans = []
    for call in calls:
        span = range_of(call)
        if span is None:
            return True
        if span[0] < span[1]:
            spans.append(span)
    spans.sort()
    reached = 0
    for start, end in spans:
        if start != reached:
            return True
        reached = end
    return reached != stop
