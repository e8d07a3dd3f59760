"""Scenes of ex02_start_vs_run, played in the learner host: ``run_in_new_process(task) -> int``."""

from __future__ import annotations

from multiprocessing.process import BaseProcess
from typing import Any

from grader.checks import plain_errors
from grader.grading.gatekeeper import gatekeeper
from grader.inside import tasks
from grader.inside.learner_host import Stage, kept

TASKS = {"pause": tasks.pause, "exit_with": tasks.exit_with, "fail_after": tasks.fail_after,
         "killed_by": tasks.killed_by}


def run(stage: Stage, task: str, settings: dict[str, Any], time_limit: float | None = None,
        outwait: bool = False) -> dict[str, Any]:
    """Call run_in_new_process with a recording ``task``; describe what it returned, when, and who was alive.

    With ``time_limit``, the task waits at a gate that opens only once run_in_new_process is blocked
    waiting (:mod:`grader.grading.gatekeeper`): code that returns without waiting returns while the
    task is still held, however fast the machine. With ``outwait`` too, a join with a timeout holds
    the task until the timeout has run out: code that gives up then returns with the task held.
    """
    seen: dict[str, Any] = {}
    unfinished: set[int] = set()
    gave_up: dict[int, float] = {}
    with kept(seen, "call_failure"):
        if time_limit is None:
            probe = stage.probe(TASKS[task], "task", bound=settings)
            result, called, returned = plain_errors.call_plainly(stage.grading, stage.learner.run_in_new_process, probe)
        else:
            gate, keeper = gatekeeper(stage.observer.folder / "gate", stage.observer.started,
                                      stage.grading.is_learner_file, stage.start_cost, time_limit, expected=1,
                                      outwait_timeouts=outwait)
            probe = stage.probe(TASKS[task], "task", bound={**settings, "gate": gate})
            try:
                with keeper:
                    result, called, returned = plain_errors.call_plainly(stage.grading,
                                                                         stage.learner.run_in_new_process, probe)
            finally:
                keeper.caller_returned()
            unfinished = set(keeper.unfinished_at_return)
            gave_up = {pid: timeout for pid, timeout in keeper.outwaited.items() if pid in unfinished}
    if "call_failure" in seen:
        return seen
    started = stage.observer.started()
    alive = {entry.pid for entry in started if entry.alive} | unfinished
    # Code that forgot join() returns while the task still runs: let it end before its records are read.
    for entry in started:
        entry.wait(5.0 + 20 * stage.start_cost + float(settings.get("delay", 0.0)))
    seen.update(result=_described(result), called=called, returned=returned, alive_at_return=sorted(alive),
                targets=[entry.target for entry in started], started=[entry.pid for entry in started],
                gave_up=[[pid, timeout] for pid, timeout in gave_up.items()])
    return seen


def _described(value: Any) -> dict[str, Any]:
    """What the judge needs to know of a returned value: its kind, the number if it is one, how it prints."""
    if value is None:
        kind = "none"
    elif isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, int):
        return {"kind": "int", "value": value, "repr": repr(value)[:80]}
    elif isinstance(value, BaseProcess):
        kind = "process"
    else:
        kind = "other"
    return {"kind": kind, "repr": repr(value)[:80]}


SCENES = {"run": run}
