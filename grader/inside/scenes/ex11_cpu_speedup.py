"""Scenes of ex11_cpu_speedup, played in the learner host: ``sum_of_squares``, ``parallel_sum_of_squares``,
and one process of the grader's that computes the whole sum alone (the race's other side).

Which processes computed the parts (pid, parent, how the probe was called, the range it was given) and
when each part's probe showed itself are the witness's; when each scene was asked for and answered, the
checker's own clock; the host's CPU, the kernel's. The host's word: what the functions returned, when
a part's or the grader's process's call ended, each part's CPU time, whether the first two parts met at
the rendezvous, the processes the registry saw start, and the calibration.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
from typing import Any

from grader.checks import machine
from grader.checks.squares import is_int
from grader.grading.fixtures import call_learner, call_patched
from grader.inside.learner_host import Stage, kept

SUM = "sum_of_squares"
PARALLEL = "parallel_sum_of_squares"


def described(value: Any) -> dict[str, Any]:
    """What the judge needs of a returned value: its type, its repr, and the int itself when it is one."""
    return {"type": type(value).__name__, "repr": repr(value)[:80], "int": int(value) if is_int(value) else None}


def sum_of_squares(stage: Stage, start: int, stop: int) -> dict[str, Any]:
    """sum_of_squares(start, stop), called here."""
    got, _, _ = call_learner(stage.grading, getattr(stage.learner, SUM), int(start), int(stop))
    return {"result": described(got)}


def calibration(stage: Stage) -> dict[str, Any]:
    """Grow n until sum_of_squares(0, n) takes a measurable CPU time here: n and that CPU time.

    CPU time, not wall time: a busy machine stretches the wall time of even a formula.
    """
    n = 1 << 14
    while True:
        cpu = time.thread_time()
        call_learner(stage.grading, getattr(stage.learner, SUM), 0, n)
        used = time.thread_time() - cpu
        if used >= 0.02 or n >= 1 << 30:
            return {"n": n, "used": used}
        n <<= 1


def parallel(stage: Stage, stop: int, workers: int, patience: float | None) -> dict[str, Any]:
    """parallel_sum_of_squares(stop, workers) once, with sum_of_squares recorded in every process it starts;
    with ``patience``, the parts meet in pairs if they run at the same time."""
    learner, observer = stage.learner, stage.observer
    # While a part's process is still starting (a pool that spawns where the grading forks), wait as long again.
    meeting = observer.rendezvous("parts", parties=2, patience=patience, booting=patience) if patience else None
    observer.patch(learner, SUM, rendezvous=meeting, in_children=True,
                   probe=stage.probe(getattr(learner, SUM), SUM, rendezvous=meeting))
    # More CPUs than workers, on every machine: a pool sized by the machine, not by workers, always shows.
    with machine.cpus_seen(int(workers) + 3):
        call = call_patched(stage.grading, observer, getattr(learner, PARALLEL), int(stop), int(workers))
    seen: dict[str, Any] = {}
    if call.failure is not None:
        with kept(seen, "call_failure"):
            raise call.failure
    # Code that forgot to wait returns while parts still run: let them end before the records are read.
    deadline = time.monotonic() + 2 * (patience or 0) + 5.0 + 20 * stage.start_cost  # patience, and booting as long
    while any(not c.finished for c in observer.calls(SUM)) and time.monotonic() < deadline:
        running = [e.process.sentinel for e in call.started if e.alive]
        if not running:
            break
        multiprocessing.connection.wait(running, timeout=min(0.1, max(0.0, deadline - time.monotonic())))
    seen.update(result=described(call.result), called=call.called, returned=call.returned,
                parent_cpu=call.parent_cpu,
                started=[{"pid": e.pid, "target": e.target, "started": e.started, "ended": e.ended}
                         for e in call.started])
    return seen


def one_process(stage: Stage, stop: int, limit: float) -> dict[str, Any]:
    """One process of the grader's computing the learner's sum_of_squares(0, stop), timed from start to join.

    Its target is a probe of sum_of_squares, like the parts of the parallel call, so both sides import the
    same modules in their processes and pay the same for recording.
    """
    context = multiprocessing.get_context(stage.grading.start_method)
    process = context.Process(target=stage.probe(getattr(stage.learner, SUM), "one"), args=(0, int(stop)),
                              name="grader-one-process")
    began = time.monotonic()
    stage.grading.registry.start_unrecorded(process)
    process.join(float(limit))
    if process.is_alive():
        process.kill()
        process.join()
    return {"seconds": time.monotonic() - began, "exitcode": process.exitcode}


SCENES = {"sum_of_squares": sum_of_squares, "calibration": calibration, "parallel": parallel,
          "one_process": one_process}
