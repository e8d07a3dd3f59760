"""Scenes of ex03_multitasking, played in the learner host: ``sing``, ``dance`` and ``sing_and_dance``.

What the calls printed, and when, and whether sing and dance met, are the host's records; which
processes made the calls, and their parents, the witness's.
"""

from __future__ import annotations

from typing import Any

from grader.checks import meeting_patience, plain_errors
from grader.grading.fixtures import call_learner, call_patched
from grader.grading.gatekeeper import gatekeeper
from grader.inside import tasks
from grader.inside.learner_host import Stage, kept
from grader.inside.records import parameters_of

WORDS = ("sing", "dance")


def prints(stage: Stage, function: str, num: int, delay: float) -> dict[str, Any]:
    """Call ``function(num, delay)`` here, through a probe that keeps every write with its time."""
    call_learner(stage.grading, stage.probe(getattr(stage.learner, function), function), int(num), float(delay))
    return {}


def performance(stage: Stage, num: int, delay: float, time_limit: float) -> dict[str, Any]:
    """Call sing_and_dance once, with sing and dance recorded, made to meet if they run at once, then held.

    After they have met (the proof that they were alive at the same time), each waits at a gate that
    the gatekeeper opens only while sing_and_dance waits for that process, one at a time: a
    sing_and_dance that does not wait for both returns while one is still held, however fast the machine.
    """
    learner, observer = stage.learner, stage.observer
    # Spent only by code that runs them one after the other, which must still get its own message
    # within the time limit of the check that first asks for this performance.
    # While the other process is still starting (spawned where the grading forks), wait as long again.
    patience = meeting_patience(stage.start_cost, time_limit)
    meeting = observer.rendezvous("sing-dance", parties=2, patience=patience, booting=patience)
    gate, keeper = gatekeeper(observer.folder / "gate", observer.started, stage.grading.is_learner_file,
                              stage.start_cost, time_limit)
    seen: dict[str, Any] = {"parameters": {name: parameters_of(getattr(learner, name)) for name in WORDS}}
    for name in WORDS:
        # The task calls the learner's own sing once through the gate; as a task it is patched in
        # children too, so a helper target or a Process subclass that calls sing is seen under spawn.
        bound = {"grader_function": (learner.__name__, name), "grader_gate": gate}
        observer.patch(learner, name, rendezvous=meeting, task=tasks.learner_function_as_told, bound=bound,
                       probe=stage.probe(tasks.learner_function_as_told, name, bound, rendezvous=meeting))
    with keeper:
        call = call_patched(stage.grading, observer, learner.sing_and_dance, int(num), float(delay))
    # The checker tells a target that cannot travel first (its name is data), then this failure.
    seen["targets"] = [entry.target for entry in call.started]
    if call.failure is not None:
        with kept(seen, "call_failure"):
            raise plain_errors.plainer(call.failure) or call.failure
    # Code that forgot join() returns before its children are done: wait for them before the records are read.
    for entry in call.started:
        entry.wait(meeting.patience + meeting.booting + 4 * num * delay + 20 * stage.start_cost)
    seen.update(called=call.called, returned=call.returned, released=list(keeper.released),
                unfinished_at_return=keeper.unfinished_at_return,
                alive_at_return=[{"pid": entry.pid, "name": entry.name} for entry in call.alive_at_return])
    return seen


SCENES = {"prints": prints, "performance": performance}
