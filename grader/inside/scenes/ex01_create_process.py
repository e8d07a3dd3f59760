"""Scenes of ex01_create_process, played in the learner host: ``make_process(target, name)``."""

from __future__ import annotations

import threading
from multiprocessing.process import BaseProcess
from typing import Any

from grader.checks import plain_errors, start_for_learner
from grader.inside import tasks
from grader.inside.learner_host import Stage, kept
from grader.inside.observe import target_name


def make(stage: Stage, name: str, start: bool) -> dict[str, Any]:
    """Call make_process with a recording target and ``name``; describe what came back; with ``start``,
    start and join it (unless it could not run honestly: started already, target run, not portable)."""
    target = stage.probe(tasks.do_nothing, "target")
    process, _, returned = plain_errors.call_plainly(stage.grading, stage.learner.make_process, target, name)
    kind = "thread" if isinstance(process, threading.Thread) else "process" if isinstance(process, BaseProcess) \
        else "other"
    seen: dict[str, Any] = {"kind": kind, "repr": repr(process)[:80], "returned": returned,
                            "started_early": [entry.pid for entry in stage.observer.started()]}
    if kind != "process":
        return seen
    seen.update(name=str(process.name)[:10_000], target=target_name(process))
    ran_early = stage.observer.calls("target")
    if start and not seen["started_early"] and not ran_early and plain_errors.is_portable(seen["target"]):
        with kept(seen, "start_failure"):
            start_for_learner(process)
            process.join()
    return seen


SCENES = {"make": make}
