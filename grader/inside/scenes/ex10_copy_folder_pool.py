"""Scenes of ex10_copy_folder_pool, played in the learner host: ``copy_folder_pool(source_dir, dest_dir, workers)``.

The checker writes the trees and reads the copies itself; which processes ran the copies of the learner's
own functions, and their parents, are the witness's. A scene says what only the host can see: what the call
returned or raised, the processes the registry saw start and end (a copier that hands the pool a function of
the standard library shows itself nowhere else), whether copies met, the resident growth the process that
copied the large file measured of itself, and, for the failing copy, which files were not copied yet when
the call ended and whether it was stopped as stuck. The learner's code sees ``workers + 3`` CPUs meanwhile,
here, where its pool reads them: a pool sized by the machine grades the same on every machine.
"""

from __future__ import annotations

import collections
import inspect
import multiprocessing
import os
import time
from typing import Any, Callable, Sequence

from grader.checks import copy_data, machine
from grader.grading.caller_stuck import CallerStuck, grace_after_settled
from grader.grading.failure_gate import FailureGate
from grader.grading.fixtures import call_learner, is_timeout
from grader.inside import gates, resident, tasks
from grader.inside.learner_host import Stage, kept
from grader.messages import Mistake

FUNCTION = "copy_folder_pool"

# In the whole tree's scene, after a process's first copies, every this-many-th shows itself to the witness.
WHOLE_TREE_SHOWN_EVERY = 4


def bounded(stage: Stage, source: str, dest: str, workers: int) -> dict[str, Any]:
    """copy_folder_pool with every copy made to wait for ``workers + 1`` copies at once, which a bounded
    pool never has: a copy then outlasts the start of the next processes, and code that starts a process
    per file shows more than ``workers`` alive. Also the default of its ``workers`` parameter."""
    start_call = _start_call(stage)
    # Patience covers starting workers+1 processes, measured here and now.
    patience = min(2.0, max(0.15, 4 * (workers + 1) * start_call))
    _watch(stage, rendezvous=stage.observer.rendezvous("too-many", workers + 1, patience))
    seen = _copy(stage, source, dest, workers)
    seen["default_workers"] = _default_workers(stage.learner.copy_folder_pool)
    return seen


def whole_tree(stage: Stage, source: str, dest: str, workers: int, files: int) -> dict[str, Any]:
    """copy_folder_pool over a tree of ``files`` files, its copies seen but not held."""
    # A process per file, workers at a time, is correct if slow: give it room to start them all.
    # (Not stopping it early also spares a Pool(maxtasksperchild=1), whose pool thread would die
    # at the limit and leave the pool hanging.)
    registry = stage.grading.registry
    limit = registry.limit
    registry.limit = max(limit, files + 32)
    try:
        # Only what a process showed at two moments counts here (alive between them: the floor of "at most
        # workers alive"), so a worker shows a fraction of its hundreds of copies, its life all the same.
        _watch(stage, shown_every=WHOLE_TREE_SHOWN_EVERY)
        return _copy(stage, source, dest, workers)
    finally:
        registry.limit = limit


def two_at_once(stage: Stage, source: str, dest: str, workers: int, large: str) -> dict[str, Any]:
    """copy_folder_pool with the first copy waiting for a second one (two that meet ran at once), and the
    process that copies the file ``large`` measuring how far its resident memory grew meanwhile."""
    # Patience is generous (only code that never has two pays it, once), capped well inside the check's limit.
    # A pool the learner's code spawns where the grading forks starts far slower than the start cost says:
    # the first copy waits on (10 s at most, of the check's 30) while a worker is still starting.
    patience = min(6.0, 1.0 + 20 * stage.start_cost)
    _watch(stage, rendezvous=stage.observer.rendezvous("two-at-once", 2, patience, booting=10.0), measure_for=large)
    seen = _copy(stage, source, dest, workers)
    seen["growths"] = resident.read_growths(stage.observer.folder / "memory")
    return seen


def one_fails(stage: Stage, source: str, dest: str, workers: int, victim: str, names: list[str],
              others: dict[str, str], patience: float) -> dict[str, Any]:
    """copy_folder_pool with the copy of ``victim`` failing (the checker put a folder where it must go) and
    every other copy held at the failure gate (:mod:`grader.grading.failure_gate`) until the failure reached
    the caller and it still waits for more; ``others`` are the files (relative path -> SHA-256) that must be
    copied all the same, ``names`` the failed files the learner's error should name. ``not_copied_yet``: those of them not copied when the call ended; ``stuck_for``: how
    long every copy had been over when the call was stopped as waiting for ever."""
    observer = stage.observer
    gate = gates.Gate(str(observer.folder / "gate"), patience=patience)
    _watch(stage, gate=gate, free_for=victim)

    def not_copied_yet() -> list[str]:
        return [rel for rel, digest in others.items() if not _holds(os.path.join(dest, rel), digest)]

    with FailureGate(gate, started=lambda: _copiers(stage), modules=(stage.learner,)) as keeper:
        # Once the failure was delivered, the gate opened and every other file is copied, a caller
        # that reads its results has nothing left to wait for: one still waiting never returns.
        stuck = CallerStuck(lambda: keeper.everyone_let_through and not not_copied_yet(),
                            grace_after_settled(stage.start_cost))
        try:
            with stuck:
                seen = _copy(stage, source, dest, workers, names)
        except BaseException as exc:
            if stuck.fired and is_timeout(exc):
                return {"stuck_for": stuck.settled_for}
            raise
        seen["not_copied_yet"] = not_copied_yet()
    return seen


def missing_source(stage: Stage, source: str, dest: str, workers: int) -> dict[str, Any]:
    """copy_folder_pool given a ``source`` that does not exist."""
    return _copy(stage, source, dest, workers)


def _start_call(stage: Stage) -> float:
    """Seconds the caller spends in one start() here, now: how fast process-per-file code starts them."""
    process = multiprocessing.get_context(stage.grading.start_method).Process(target=tasks.do_nothing)
    began = time.monotonic()
    stage.grading.registry.start_unrecorded(process)
    took = time.monotonic() - began
    process.join()
    return took


def _copy(stage: Stage, source: str, dest: str, workers: int, names: Sequence[str] = ()) -> dict[str, Any]:
    """Call copy_folder_pool(source, dest, workers) with more CPUs seen than workers, on every machine (a pool
    sized by the machine, not by workers, always shows). Its outcome as data: ``result`` (an int, or None, and
    its repr), or the mistake it raised kept as ``failure`` with its ``error`` described (which of ``names``
    the learner's exception mentions); ``processes``: when each process the learner's code started (but a
    Manager's server) began and ended, as the registry saw it the moment the call ended."""
    seen: dict[str, Any] = {}
    with kept(seen, "failure"):
        try:
            with machine.cpus_seen(workers + 3):
                result, _, _ = call_learner(stage.grading, stage.learner.copy_folder_pool, source, dest, workers)
        except Mistake as mistake:
            seen["error"] = _described_error(mistake.__context__, names)
            raise
        integer = isinstance(result, int) and not isinstance(result, bool)
        seen["result"] = {"int": result if integer else None, "repr": repr(result)[:80]}
    now = time.monotonic()
    seen["processes"] = [{"pid": e.pid, "started": e.started, "ended": e.ended if e.ended is not None else now}
                         for e in _copiers(stage)]
    return seen


def _described_error(cause: BaseException | None, names: Sequence[str]) -> dict[str, Any]:
    """The learner's own exception, as the judge weighs it: its text, whether it is a FileNotFoundError,
    and whether it (or one it was raised from) names each of ``names``."""
    if cause is None:
        return {"text": "", "not_found": False, "named": {name: False for name in names}}
    return {"text": f"{type(cause).__name__}: {cause}"[:300], "not_found": isinstance(cause, FileNotFoundError),
            "named": {name: copy_data.mentions(cause, name) for name in names}}


def _holds(path: str, digest: str) -> bool:
    """Whether the file at ``path`` exists and has the content whose SHA-256 is ``digest``."""
    try:
        return copy_data.digest(path) == digest  # type: ignore[arg-type]
    except OSError:
        return False


def _copiers(stage: Stage) -> list[Any]:
    """The processes the learner's code started, but a Manager's server (it holds a progress queue, say, and copies nothing)."""
    return [e for e in stage.observer.started() if not e.serves_a_manager]


def _default_workers(func: Callable[..., Any]) -> Any:
    """The default value of ``func``'s ``workers`` parameter (its repr, when it is not a plain value), or the
    text "no default" (the grader always passes workers, so the default is read, not run)."""
    try:
        parameter = inspect.signature(func).parameters.get("workers")
    except (TypeError, ValueError):
        return "no signature"
    if parameter is None or parameter.default is inspect.Parameter.empty:
        return "no default"
    default = parameter.default
    return default if default is None or isinstance(default, (bool, int, float, str)) else repr(default)[:80]


def _copying_functions(learner: Any) -> list[str]:
    """The learner's own top-level functions but copy_folder_pool: what a pool task of theirs may run.

    A function also held under another name, in a container or as a default argument is left
    alone: the pool would pickle that reference by its name and find the probe instead.
    """
    module_vars = vars(learner)
    functions = {name: f for name, f in module_vars.items()
                 if inspect.isfunction(f) and f.__module__ == learner.__name__ and f.__qualname__ == name
                 and name != FUNCTION}
    held = collections.Counter(id(v) for v in module_vars.values())
    for value in module_vars.values():
        if isinstance(value, (list, tuple, set, frozenset)):
            held.update(id(v) for v in value)
        elif isinstance(value, dict):
            held.update(id(v) for v in value.values())
    for f in functions.values():
        held.update(id(v) for v in (f.__defaults__ or ()))
        held.update(id(v) for v in (f.__kwdefaults__ or {}).values())
    return [name for name, f in functions.items() if held[id(f)] == 1]


def _watch(stage: Stage, rendezvous: Any = None, gate: gates.Gate | None = None, free_for: str | None = None,
           measure_for: str | None = None, shown_every: int = 1) -> None:
    """Replace each of the learner's copying functions by a witnessed probe (here and in every process started).

    In a process of its own, each call first meets ``rendezvous``, or waits at ``gate`` unless it
    copies the file ``free_for`` (or is in the same chunk of tasks); a call about the file
    ``measure_for`` has its process's resident memory measured (:mod:`grader.inside.resident`). With
    ``shown_every`` above 1 (a plain watch only), a process shows only some of its calls to the witness.
    """
    learner, observer = stage.learner, stage.observer
    for name in _copying_functions(learner):
        function = (learner.__name__, name)
        if gate is not None:
            bound = {"grader_function": function, "grader_gate": gate, "grader_free_for": free_for}
            observer.patch(learner, name, task=tasks.learner_function_as_told, bound=bound,
                           probe=stage.probe(tasks.learner_function_as_told, name, bound))
        elif measure_for is not None:
            bound = {"grader_function": function, "grader_measure_for": measure_for,
                     "grader_measure_into": str(observer.folder / "memory")}
            observer.patch(learner, name, rendezvous=rendezvous, task=resident.learner_function_measured, bound=bound,
                           probe=stage.probe(resident.learner_function_measured, name, bound, rendezvous=rendezvous))
        else:
            observer.patch(learner, name, rendezvous=rendezvous, in_children=True,
                           probe=stage.probe(getattr(learner, name), name, rendezvous=rendezvous,
                                             shown_every=shown_every))


SCENES = {"bounded": bounded, "whole_tree": whole_tree, "two_at_once": two_at_once, "one_fails": one_fails,
          "missing_source": missing_source}
