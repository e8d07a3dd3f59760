"""Scenes of ex08_copy_file, played in the learner host: ``copy_file(file_name, source_dir, dest_dir)``.

The checker makes the files and reads the copies itself; a scene only calls the learner's function
and says how it failed. What it reports of memory (Python's own count) can only add to what the
checker reads from the kernel about this process.
"""

from __future__ import annotations

import os
import tracemalloc
from typing import Any

from grader.checks import copy_data
from grader.grading.fixtures import call_learner
from grader.inside.learner_host import Stage, kept
from grader.messages import Mistake

FUNCTION = "copy_file"


def chunk_size(stage: Stage) -> dict[str, Any]:
    """The learner's ``CHUNK_SIZE``, when it is a number (the checker adds files around it)."""
    value = getattr(stage.learner, "CHUNK_SIZE", None)
    return {"chunk_size": value if isinstance(value, int) and not isinstance(value, bool) else None}


def copy_each(stage: Stage, names: list[str], source: str, dest: str) -> dict[str, Any]:
    """Call copy_file for each of ``names`` in turn, in one request; stop at the first that raises
    (kept as ``failure``) or leaves no file of its name in ``dest`` (the checker looks at that one
    before any other copy is made, as if they were asked for one by one). ``copied``: how many returned."""
    seen: dict[str, Any] = {"copied": 0}
    for name in names:
        with kept(seen, "failure"):
            _copy(stage, name, source, dest)
        if "failure" in seen:
            break
        seen["copied"] += 1
        if not os.path.exists(os.path.join(dest, name)):
            break
    return seen


def copy(stage: Stage, name: str, source: str, dest: str, trace_memory: bool = False) -> dict[str, Any]:
    """Call copy_file(name, source, dest); with ``trace_memory``, how much Python memory it held at most.

    Python's count (tracemalloc) sees a buffer that reuses memory already resident, which the
    kernel's peak does not; it misses a kernel copy (sendfile), which takes no buffer at all.
    """
    if not trace_memory:
        _copy(stage, name, source, dest)
        return {"pid": os.getpid()}
    tracing_already = tracemalloc.is_tracing()
    if not tracing_already:
        tracemalloc.start()
    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    try:
        _copy(stage, name, source, dest)
    finally:
        peak = tracemalloc.get_traced_memory()[1] - baseline
        if not tracing_already:
            tracemalloc.stop()
    return {"pid": os.getpid(), "traced_peak": peak}


def _copy(stage: Stage, name: str, source: str, dest: str) -> None:
    """The learner's call; an exception of its own is named for what it shows (text mode, a wrong path)."""
    try:
        call_learner(stage.grading, stage.learner.copy_file, name, source, dest)
    except Mistake as mistake:
        cause = mistake.__context__  # the learner's own exception, when there was one
        if isinstance(cause, UnicodeError):
            raise Mistake("text_mode_failed", function=FUNCTION, name=name,
                          error=f"{type(cause).__name__}: {cause}") from None
        wrong = copy_data.wrong_path_in(cause, [os.path.join(source, name), os.path.join(dest, name)], FUNCTION)
        if wrong is not None:
            raise wrong from None
        raise


# No scene here reads stage.start_cost: the host need not measure it.
USES_START_COST = False

SCENES = {"chunk_size": chunk_size, "copy": copy, "copy_each": copy_each}
