"""Scenes of ex04_task_arguments, played in the learner host: the three ``start_with_*`` functions."""

from __future__ import annotations

import threading
from multiprocessing.process import BaseProcess
from typing import Any

from grader.checks import plain_errors
from grader.inside import tasks
from grader.inside.learner_host import Stage

FUNCTIONS = ("start_with_args", "start_with_kwargs", "start_with_one_arg")


def launch(stage: Stage, function: str, values: list, tuple_at: int | None = None) -> dict[str, Any]:
    """Call ``function(task, *values)`` with a recording task, join what it started; describe what came back.

    JSON has no tuples: the value at ``tuple_at`` is made one again before the learner's code sees it.
    """
    if function not in FUNCTIONS:
        raise ValueError(f"no such function of ex04: {function}")
    given = [tuple(v) if i == tuple_at else v for i, v in enumerate(values)]
    task = stage.probe(tasks.do_nothing, "task")
    result, _, _ = plain_errors.call_plainly(stage.grading, getattr(stage.learner, function), task, *given)
    started = stage.observer.started()
    patience = 5.0 + 20 * stage.start_cost
    for entry in started:
        entry.process.join(patience)
    if isinstance(result, threading.Thread) and result.ident is not None:
        result.join(patience)
    is_process = isinstance(result, BaseProcess)
    return {
        "targets": [entry.target for entry in started],
        "started": [entry.pid for entry in started],
        "is_process": is_process,
        "repr": repr(result)[:80],
        "returned_started": is_process and any(entry.process is result for entry in started),
        "returned_pid": result.pid if is_process else None,
    }


SCENES = {"launch": launch}
