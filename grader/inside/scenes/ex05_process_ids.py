"""Scenes of ex05_process_ids, played in the learner host: ``report_ids(label)`` and ``start_reporters(count)``.

The checker compares what each call printed with the ids the witness saw (the kernel's pid and parent
of the process that made the call), never with the host's word for them; the host says only what the
learner's code printed and returned, and what its gatekeeper saw of the caller's waits.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.process import BaseProcess
from typing import Any

from grader.checks import plain_errors
from grader.grading.fixtures import call_learner, call_patched
from grader.grading.gatekeeper import gatekeeper
from grader.inside import tasks
from grader.inside.learner_host import Stage, kept


def here(stage: Stage, label: str) -> dict[str, Any]:
    """report_ids(label), called in the host itself."""
    seen: dict[str, Any] = {}
    with kept(seen, "call_failure"):
        call_learner(stage.grading, stage.probe(stage.learner.report_ids, "report_ids"), label)
    return seen


def in_child(stage: Stage, label: str) -> dict[str, Any]:
    """report_ids(label), as the target of a process the host starts and joins."""
    process = multiprocessing.Process(target=stage.probe(stage.learner.report_ids, "report_ids"), args=(label,))
    process.start()
    process.join(5.0 + 20 * stage.start_cost)
    return {}


def reporters(stage: Stage, count: int, time_limit: float) -> dict[str, Any]:
    """start_reporters(count) once, with report_ids recorded (and gated) in every process it starts.

    Each child's report_ids waits at a gate that the host's gatekeeper opens only while
    start_reporters waits, for a child it waits for, the one started last first: a caller that returns
    without joining them all returns while one is still held, and one that waits for a child before it
    has started them all waits for a child held, so it cannot have started the others meanwhile.
    """
    gate, keeper = gatekeeper(stage.observer.folder / "gate", stage.observer.started, stage.grading.is_learner_file,
                              stage.start_cost, time_limit, expected=count, outwait_timeouts=True)
    bound = {"grader_function": (stage.learner.__name__, "report_ids"), "grader_gate": gate}
    stage.observer.patch(stage.learner, "report_ids", task=tasks.learner_function_as_told, bound=bound,
                         probe=stage.probe(tasks.learner_function_as_told, "report_ids", bound))
    with keeper:
        call = call_patched(stage.grading, stage.observer, stage.learner.start_reporters, count)
    seen: dict[str, Any] = {}
    # The checker tells a target that cannot travel first (its name is data), then this failure.
    seen["targets"] = [entry.target for entry in call.started]
    if call.failure is not None:
        with kept(seen, "call_failure"):
            raise plain_errors.plainer(call.failure) or call.failure
    first_waited = keeper.released[0] if keeper.waited_before_starting_all else None
    # Code that forgot join() returns before its children are done: wait for them before the records are read.
    for entry in call.started:
        entry.wait(5.0 + 20 * stage.start_cost)
    seen.update(result=_described(call.result, call.started), called=call.called, returned=call.returned,
                started=[entry.pid for entry in call.started],
                alive_at_return=sorted(entry.pid for entry in call.alive_at_return),
                unfinished_at_return=keeper.unfinished_at_return, first_waited=first_waited,
                started_when_first_waited=keeper.started_when_first_waited if first_waited is not None else None)
    return seen


def _described(value: Any, started: list) -> dict[str, Any]:
    """What the judge needs to know of start_reporters' result: its kind, and each item's (a process by its pid,
    read from the registry: a closed process no longer tells it)."""
    def item(x: Any) -> dict[str, Any]:
        if isinstance(x, BaseProcess):
            return {"kind": "process", "pid": next((e.pid for e in started if e.process is x), None)}
        if isinstance(x, int) and not isinstance(x, bool):
            return {"kind": "int", "value": x}
        return {"kind": "other", "repr": repr(x)[:40]}

    kind = "list" if isinstance(value, list) else "tuple" if isinstance(value, tuple) else "other"
    described: dict[str, Any] = {"kind": kind, "repr": repr(value)[:80]}
    if kind != "other":
        described["items"] = [item(x) for x in value]
    return described


SCENES = {"here": here, "in_child": in_child, "reporters": reporters}
