"""How the checks of ex09 call ``copy_folder`` and read what its copies did.

``copy_folder`` runs with the learner's ``copy_file`` replaced by a probe, in the learner's module
and in every process it starts (so a helper of the learner's that calls ``copy_file`` is seen under
spawn too). The probe records each call (in which process, for which file, when it started and
ended), then runs the learner's own ``copy_file``: after a short sleep where a check needs the
copies to outlast the start of processes, failing on purpose for one file (raising, or dying by a
signal) where a check needs a copy to fail, measuring the copying process's memory for the one
large file (ex10 reads that measure with :func:`large_file_held` too).
"""

from __future__ import annotations

import contextlib
import inspect
import multiprocessing.connection
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from grader.grading.caller_stuck import CallerStuck
from grader.grading.fixtures import Grading, Observer
from grader.grading.gatekeeper import Gatekeeper
from grader.inside import gates, resident, tasks
from grader.inside.observe import Call

from ..messages import Mistake
from . import copy_data, expect_new_process, plain_errors, wait_for_ends


def _copy_file_contract(file_name: str, source_dir: str, dest_dir: str) -> None:
    """The parameters of copy_file, as the exercise fixes them (to read which file a call copied)."""


@dataclass
class FolderCopy:
    """How one call of copy_folder ended: what it returned or the mistake it raised, and when."""

    result: Any
    called: float
    returned: float
    raised: Mistake | None

    @property
    def cause(self) -> BaseException | None:
        """The learner's own exception, when copy_folder raised one."""
        return self.raised.__context__ if self.raised is not None else None

    def error_text(self) -> str:
        cause = self.cause
        return f"{type(cause).__name__}: {cause}" if cause is not None else ""


def watch_copies(observer: Observer, learner: Any, delay: float = 0.0, fail_for: str | None = None,
                 gate: gates.Gate | None = None, kill_for: str | None = None, measure_for: str | None = None) -> None:
    """Put a probe in place of the learner's copy_file (sleeping ``delay`` in a child, failing for ``fail_for``,
    dying by a signal for ``kill_for``, waiting at ``gate`` first, measuring its process's memory for
    ``measure_for``: see :func:`large_file_held`)."""
    if not callable(getattr(learner, "copy_file", None)):
        raise Mistake("no_copy_file")
    bound: dict[str, Any] = {"grader_function": (learner.__name__, "copy_file"), "grader_delay": delay}
    if fail_for is not None:
        bound["grader_fail_for"] = fail_for
    if kill_for is not None:
        bound["grader_kill_for"] = kill_for
    if gate is not None:
        bound["grader_gate"] = gate
    task = tasks.learner_function_as_told
    if measure_for is not None:
        task = resident.learner_function_measured
        bound.update(grader_measure_for=measure_for, grader_measure_into=str(observer.folder / "memory"))
    observer.patch(learner, "copy_file", task=task, bound=bound)


def large_file_held(observer: Observer, size: int) -> dict[str, Any] | None:
    """How much the process that copied the large file (``size`` bytes) held at once, as the OS counts
    its resident memory, when that is half the file or more (a mistake's values); None when less, or
    where the OS does not say."""
    growths = resident.read_growths(observer.folder / "memory")
    if not growths:
        return None
    pid, peak = max(growths, key=lambda measured: measured[1])
    if peak < copy_data.MEMORY_FRACTION * size:
        return None
    return {"pid": pid, "size_mib": round(size / (1 << 20), 1), "peak_mib": round(peak / (1 << 20), 1)}


def run(grading: Grading, learner: Any, observer: Observer, source: Path, dest: Path, patience: float,
        keeper: Gatekeeper | None = None, stuck: CallerStuck | None = None) -> FolderCopy:
    """Call copy_folder(source, dest) (its copies held by ``keeper``, stopped as hung by ``stuck``,
    when given); then wait (up to ``patience`` s) for the processes it left running."""
    called = time.monotonic()
    try:
        try:
            if keeper is not None:
                keeper.__enter__()
            with stuck or contextlib.nullcontext():
                result, called, returned = plain_errors.call_plainly(grading, learner.copy_folder, str(source),
                                                                     str(dest))
        finally:
            if keeper is not None:
                keeper.caller_returned()
        outcome = FolderCopy(result, called, returned, None)
    except Mistake as mistake:
        if mistake.key in ("not_implemented", "too_many_processes", "cannot_pickle", "target_not_portable",
                           "group_given_positionally"):
            raise
        outcome = FolderCopy(None, called, time.monotonic(), mistake)
    plain_errors.expect_portable_targets(observer.started())
    # A copier that never joins leaves its copies running: let them end before the files are read.
    wait_for_ends(observer.started(), patience)
    return outcome


def patience(start_cost: float) -> float:
    """How long the copies may take to end after copy_folder returned: generous, from this machine's pace."""
    return 2.0 + 40 * start_cost


def file_name(call: Call) -> str | None:
    try:
        bound = inspect.signature(_copy_file_contract).bind(*call.args, **call.kwargs)
    except TypeError:
        return None
    name = bound.arguments["file_name"]
    return name if isinstance(name, str) else None


def expect_names_not_paths(calls: list[Call], files: Iterable[str]) -> None:
    """Fail on a copy_file call given a path to one of ``files`` instead of its name: a copy_file of
    the learner's may still copy it, but then no call was for the file's name, and saying so would
    be untrue."""
    names = set(files)
    for call in calls:
        got = file_name(call)
        if got is not None and got not in names and os.path.basename(got) in names:
            folder = os.path.basename(os.path.dirname(got))  # the folder it names, not the scratch path
            raise Mistake("file_name_is_a_path", got=os.path.join("…", folder, os.path.basename(got)),
                          name=os.path.basename(got))


def expect_copies_ran_cleanly(observer: Observer) -> None:
    """Fail on the first copy_file call that raised in its process (the learner's own copy_file failed)."""
    for call in observer.calls("copy_file"):
        if call.error is None:
            continue
        name = file_name(call) or "?"
        if call.error["type"] == "NotImplementedError":
            raise Mistake("not_implemented", function="copy_file")
        if call.error["type"].startswith("Unicode"):
            raise Mistake("text_mode_failed", function="copy_file", name=name,
                          error=f"{call.error['type']}: {call.error['message']}")
        raise Mistake("child_failed", function="copy_file", error=call.error["type"], message=call.error["message"])


def expect_no_error(outcome: FolderCopy, observer: Observer, grading: Grading) -> None:
    """Fail when copy_folder raised; first with the reason its copies show, when they ran outside a process,
    or, when its error names copies that did not fail, with the exit codes it read too early."""
    if outcome.raised is None:
        return
    calls = observer.calls("copy_file")
    for call in calls:
        expect_new_process(call, grading.pid, "copy_file")
    # Its error names copies as failed, yet every copy finished without an error and its process ended with
    # exit code 0 (the grader's own reading, after the call): it read exit codes that were still None, before
    # the processes had ended (no join, a join of some only, exit codes read before the join loop).
    error = outcome.error_text()
    by_pid = {entry.pid: entry for entry in observer.started()}
    named = {name for call in calls if (name := file_name(call)) is not None and name in error}
    if outcome.cause is not None and named and all(
            call.end is not None and call.error is None and _exit_code(by_pid.get(call.pid)) == 0 for call in calls):
        raise Mistake("exit_codes_read_early", error=error[:300], named=len(named), total=len(calls))
    raise outcome.raised


def _exit_code(entry: Any) -> int | None:
    """The exit code of a copy's process, once it has ended (None: not known, or not a process of its own)."""
    if entry is None:
        return None
    try:
        entry.process.join(0.5)
        return entry.process.exitcode
    except (ValueError, AssertionError, OSError):  # closed by the learner's code, or not the grader's child
        return None


def copies_over(observer: Observer, files: Iterable[str]) -> Callable[[], bool]:
    """The question "is every copy over?": every one of ``files`` had its copy_file call, and every
    process that ran one has ended (its sentinel is ready). Then a copier that joins its processes
    has nothing left to wait for."""
    names = set(files)

    def over() -> bool:
        calls = observer.calls("copy_file")
        if not names <= {file_name(call) for call in calls}:
            return False
        ended = {entry.pid for entry in observer.started() if not _running(entry)}
        return all(call.pid in ended for call in calls)
    return over


def _running(entry: Any) -> bool:
    # The sentinel alone: is_alive() would reap the process from this thread, under the caller's feet.
    try:
        return not multiprocessing.connection.wait([entry.process.sentinel], 0)
    except (ValueError, OSError):  # closed by the learner's code: it has ended
        return False
