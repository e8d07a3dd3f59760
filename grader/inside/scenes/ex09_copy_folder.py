"""Scenes of ex09_copy_folder, played in the learner host: ``copy_folder(source_dir, dest_dir) -> int``.

The checker makes the folders and reads the copies itself; the witness tells which processes ran
``copy_file``, their parents, and (where the checker measures) their resident peak. A scene calls
``copy_folder`` with the learner's ``copy_file`` replaced by a probe, in the learner's module and in
every process it starts (so a helper of the learner's that calls ``copy_file`` is seen under spawn
too), which runs the learner's own ``copy_file``: held at the gatekeeper's gate, failing on purpose
for one file (raising, or dying by a signal), or measuring its own process's memory, as the check
asks. It says what only the host can see: what ``copy_folder`` returned or raised and when, the
exit codes its processes ended with, and what the gatekeeper saw of its waits.
"""

from __future__ import annotations

import contextlib
import multiprocessing.connection
import time
from multiprocessing.process import BaseProcess
from typing import Any, Callable, Iterable

from grader.checks import machine, plain_errors, wait_for_ends
from grader.checks.folder_copy_run import file_name
from grader.grading.caller_stuck import CallerStuck, grace_after_settled
from grader.grading.gatekeeper import gatekeeper
from grader.inside import resident, tasks
from grader.inside.learner_host import Stage, kept
from grader.messages import Mistake

# Mistakes that end the call's scene at once: nothing the copies did is worth judging after them.
_AT_ONCE = ("not_implemented", "too_many_processes", "cannot_pickle", "target_not_portable", "group_given_positionally")
# How many exceptions of the learner's error (its causes and contexts) are sent, and how much of each.
_CHAIN = 10
_TEXT = 20_000


def copy(stage: Stage, source: str, dest: str, measure_for: str | None = None, fail_for: str | None = None,
         kill_for: str | None = None, settled_when: list[str] | None = None, gated: int | None = None,
         cpus: int | None = None, time_limit: float | None = None) -> dict[str, Any]:
    """Call copy_folder(source, dest) once, with copy_file watched; then wait for the copies it left running.

    ``measure_for``: the copy of that file measures its own process's resident peak; ``fail_for``: the
    copy of that file raises; ``kill_for``: that one dies by a signal. ``settled_when`` (file names):
    once each of them had its copy_file call and every process that ran one has ended, the call is
    stopped as hung after a grace (a caller still waiting then waits for ever). ``gated`` (the number of
    files): every copy waits at a gate opened only while copy_folder waits for it, joins with a timeout
    outwaited, within ``time_limit``, and the code sees ``cpus`` CPUs.
    """
    learner, observer = stage.learner, stage.observer
    if not callable(getattr(learner, "copy_file", None)):
        raise Mistake("no_copy_file")
    bound: dict[str, Any] = {"grader_function": (learner.__name__, "copy_file")}
    if fail_for is not None:
        bound["grader_fail_for"] = fail_for
    if kill_for is not None:
        bound["grader_kill_for"] = kill_for
    keeper = None
    if gated is not None:
        gate, keeper = gatekeeper(observer.folder / "gate", observer.started, stage.grading.is_learner_file,
                                  stage.start_cost, float(time_limit or 15.0), expected=gated, outwait_timeouts=True)
        bound["grader_gate"] = gate
    task: Callable[..., Any] = tasks.learner_function_as_told
    if measure_for is not None:
        task = resident.learner_function_measured
        bound.update(grader_measure_for=measure_for, grader_measure_into=str(observer.folder / "memory"))
    observer.patch(learner, "copy_file", task=task, bound=bound, probe=stage.probe(task, "copy_file", bound))

    seen: dict[str, Any] = {"called": time.monotonic()}
    stuck = (CallerStuck(_copies_over(stage, settled_when), grace_after_settled(stage.start_cost))
             if settled_when is not None else contextlib.nullcontext())
    failure: Mistake | None = None
    try:
        if keeper is not None:
            keeper.__enter__()
        with stuck, machine.cpus_seen(cpus) if cpus is not None else contextlib.nullcontext():
            result, seen["called"], seen["returned"] = plain_errors.call_plainly(
                stage.grading, learner.copy_folder, source, dest)
        seen["result"] = _described(result)
    except Mistake as mistake:
        if mistake.key in _AT_ONCE:
            raise
        failure = mistake
        seen["returned"] = time.monotonic()
        seen["cause"] = _cause(mistake.__context__)  # the learner's own exception
    finally:
        if keeper is not None:
            keeper.caller_returned()
    if failure is not None:
        with kept(seen, "failure"):  # the judge weighs it after what the copies and the folders show
            raise failure
    seen["targets"] = [entry.target for entry in observer.started()]
    # A copier that never joins leaves its copies running: let them end before the checker reads the files.
    wait_for_ends(observer.started(), patience(stage.start_cost))
    if "failure" in seen:
        # Read here after the call (the host's word), to tell exit codes read before the copies had ended.
        seen["exit_codes"] = [[entry.pid, _exit_code(entry)] for entry in observer.started()]
    if measure_for is not None:
        seen["growths"] = resident.read_growths(observer.folder / "memory")
    if keeper is not None:
        seen.update(unfinished_at_return=keeper.unfinished_at_return, released=list(keeper.released),
                    outwaited_how=[[pid, how] for pid, how in keeper.outwaited_how.items()],
                    waited_before_starting_all=keeper.waited_before_starting_all,
                    started_when_first_waited=keeper.started_when_first_waited)
    return seen


def patience(start_cost: float) -> float:
    """How long the copies may take to end after copy_folder returned: generous, from this machine's pace."""
    return 2.0 + 40 * start_cost


def _described(value: Any) -> dict[str, Any]:
    """What the judge needs to know of copy_folder's result: its kind, the number if it is one, how it prints."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"kind": "int", "value": value, "repr": repr(value)[:80]}
    kind = ("none" if value is None else "bool" if isinstance(value, bool)
            else "process" if isinstance(value, BaseProcess) else "other")
    return {"kind": kind, "repr": repr(value)[:80]}


def _cause(exc: BaseException | None) -> dict[str, Any] | None:
    """The learner's exception as data: its classes (to tell a FileNotFoundError), its text, and the text of
    each exception it was raised from (where a file it must name may be)."""
    if exc is None:
        return None
    chain, link = [], exc
    while link is not None and len(chain) < _CHAIN:
        chain.append(f"{str(link)[:_TEXT]}\n{repr(link.args)[:_TEXT]}")
        link = link.__cause__ or link.__context__
    return {"classes": [cls.__name__ for cls in type(exc).__mro__], "text": f"{type(exc).__name__}: {exc}"[:_TEXT],
            "chain": chain}


def _exit_code(entry: Any) -> int | None:
    """The exit code of a copy's process, once it has ended (None: not known, or not a process of its own)."""
    try:
        entry.process.join(0.5)
        return entry.process.exitcode
    except (ValueError, AssertionError, OSError):  # closed by the learner's code, or not the grader's child
        return None


def _copies_over(stage: Stage, files: Iterable[str]) -> Callable[[], bool]:
    """The question "is every copy over?": every one of ``files`` had its copy_file call, and every
    process that ran one has ended (its sentinel is ready). Then a copier that joins its processes
    has nothing left to wait for."""
    names = set(files)

    def over() -> bool:
        calls = stage.observer.calls("copy_file")
        if not names <= {file_name(call) for call in calls}:
            return False
        ended = {entry.pid for entry in stage.observer.started() if not _running(entry)}
        return all(call.pid in ended for call in calls)
    return over


def _running(entry: Any) -> bool:
    # The sentinel alone: is_alive() would reap the process from this thread, under the caller's feet.
    try:
        return not multiprocessing.connection.wait([entry.process.sentinel], 0)
    except (ValueError, OSError):  # closed by the learner's code: it has ended
        return False


SCENES = {"copy": copy}
