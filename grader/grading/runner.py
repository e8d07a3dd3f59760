"""Grade a submission: one isolated worker per exercise, results gathered whatever happens.

The command line's process never runs the learner's code. For each exercise it starts a worker
(a fork of itself where the platform has ``fork``, else a fresh interpreter), waits for it up to
a deadline, then kills whatever the worker or the learner's code left behind, and reads the
result lines. A check without a line (the worker died or hung) is failed with the reason.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from grader import KIT_ROOT, host, messages
from grader.catalogue import EXERCISES, Exercise
from grader.checks import Check, checks_in
from grader.grading import cleanup, evidence, own_errors, result_pipe, worker
from grader.grading import limits as limits_
from grader.grading.deadlines import WORKER_MARGIN, Clock, worker_deadline  # noqa: F401 - API
from grader.inside import tamper
from grader.results import CheckResult, ExerciseResult, GradeRun  # noqa: F401 - ExerciseResult is part of the API


def default_start_method() -> str:
    """The platform's default start method (what the learner's code gets when it does not choose)."""
    return host.default_start_method()


def available_start_methods() -> list[str]:
    return host.start_methods()


def checks_of(exercise: Exercise) -> list[Check]:
    """The checks of ``exercise``, in the order they run."""
    module = importlib.import_module(f"grader.checks.{exercise.module}")
    return checks_in(module.__name__)


def load_scenes(exercise: Exercise) -> None:
    """Import the scenes module of ``exercise`` here, in the runner, where bytecode may be written: a
    forked worker and its learner host inherit it loaded, and a host started as a fresh interpreter finds
    it compiled (the host writes no bytecode, so each host compiled the scenes afresh)."""
    importlib.import_module(f"grader.inside.scenes.{exercise.module}")


def grade(
    submission: Path,
    exercises: list[Exercise] | None = None,
    start_method: str | None = None,
    seed: int = 0,
    on_exercise: Callable[[ExerciseResult], None] | None = None,
    timeout: float = worker.CHECK_TIMEOUT,
    limits: limits_.Limits | None = None,
    first_failure_only: bool = False,
) -> GradeRun:
    """Grade the modules in ``submission``; ``on_exercise`` hears of each exercise as it ends.

    ``limits`` bound each exercise's grading (default: :func:`limits.from_environment`). With
    ``first_failure_only`` an exercise's checks stop at the first that fails (the rest are
    "not checked"): the same first failure, sooner, for tests that judge only that.
    """
    began = time.monotonic()
    method = start_method or default_start_method()
    limits = limits or limits_.from_environment()
    cleanup.become_subreaper()
    results = []
    scratch = Path(tempfile.mkdtemp(prefix="mp-grader-"))
    try:
        for exercise in exercises or list(EXERCISES):
            result = grade_exercise(submission, exercise, method, seed, scratch / exercise.id, timeout, limits,
                                    first_failure_only=first_failure_only)
            results.append(result)
            if on_exercise is not None:
                on_exercise(result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return GradeRun(str(submission), method, seed, results, time.monotonic() - began)


def grade_exercise(submission: Path, exercise: Exercise, start_method: str, seed: int,
                   scratch: Path, timeout: float = worker.CHECK_TIMEOUT,
                   limits: limits_.Limits | None = None, tamper_evidence: bool = True,
                   first_failure_only: bool = False) -> ExerciseResult:
    """Grade one exercise in a worker of its own and return its result, complete.

    ``tamper_evidence`` off (only the kit's own tests, to show a cheat works without it) grades
    without the source scan, the worker's audit hook and its seal.
    """
    limits = limits or limits_.Limits()
    began = time.monotonic()
    checks = checks_of(exercise)
    if not (submission / exercise.filename).is_file():
        missing = [failed_check(check, "missing_module", module=exercise.filename) for check in checks]
        return ExerciseResult(exercise, missing, 0.0, missing=True)
    if only_stubs(submission / exercise.filename):
        # Nothing to run: every function would raise NotImplementedError (the kit's tests grade the
        # stubs' functions through the checks too). Saves a learner a worker per exercise not begun.
        stubs = [failed_check(check, "untouched", module=exercise.filename) for check in checks]
        return ExerciseResult(exercise, stubs, time.monotonic() - began, untouched=True)
    found = evidence.in_source(submission / exercise.filename) if tamper_evidence else None
    if found is not None:
        # Read, never run: the module reaches into the grader in its own text.
        return ExerciseResult(exercise, [failed_check(check, "tampered", what=found) for check in checks],
                              time.monotonic() - began)
    scratch.mkdir(parents=True, exist_ok=True)
    job = worker.Job(
        module=exercise.module, submission=str(submission.resolve()), start_method=start_method,
        seed=seed, scratch=str(scratch), results=str(scratch / "results.jsonl"), log=str(scratch / "output.log"),
        timeout=timeout, limits=json.loads(limits.to_json()), first_failure_only=first_failure_only,
    )
    if tamper_evidence:
        tamper.scan_for_seal()  # a worker forked from here compares these modules rather than scan them again
    forked = time.monotonic()
    pipe = evidence.ReportPipe()
    # Windows passes no descriptor but the standard three to a child: no tamper evidence there, and
    # the results come through the file.
    load_scenes(exercise)
    results = result_pipe.ResultsPipe() if os.name == "posix" else None
    lines_written = results.lines_so_far if results is not None else _LinesInFile(Path(job.results))
    clock = Clock(checks, timeout, worker.HOST_GRACE, lines_written)
    try:
        report_fd = pipe.write_fd if os.name == "posix" and tamper_evidence else -1
        job = dataclasses.replace(job, report_fd=report_fd, results_fd=results.write_fd if results else -1)
        exitcode, overdue, breach = _run_worker(job, clock, limits, pipe, results)
    finally:
        reported = pipe.evidence()
    reaped = time.monotonic()
    if results is not None:
        done, forged = _parse_results(results.text(), checks)
    else:
        done, forged = _read_results(Path(job.results), checks)
    breach = breach or limits_.breach_after_exit(exitcode, limits)
    written = limits_.wrote_to_the_limit(scratch, limits)
    results = []
    stopped_at: str | None = None
    for check in checks:
        if check.name in done:
            if written is not None and not done[check.name].passed:
                # The write that failed at the file size limit is what failed this check.
                results.append(failed_check(check, written.key, **written.values))
                written = None
            else:
                results.append(done[check.name])
        elif first_failure_only and (failed := [r for r in results if not r.passed]):
            results.append(failed_check(check, "not_checked", check=failed[0].title["en"]))
        elif stopped_at is None:
            stopped_at = check.title.en
            if breach is not None:
                results.append(failed_check(check, breach.key, **breach.values))
            elif overdue is not None:
                results.append(failed_check(check, "timeout", what=check.title.en, seconds=overdue))
            elif (error := own_errors.left(scratch, own_errors.WORKER, exitcode)) is not None:
                results.append(failed_check(check, "grader_error", traceback=error))
            else:
                results.append(failed_check(check, "grading_process_died", exitcode=exitcode, check=check.title.en))
        else:
            results.append(failed_check(check, "not_checked", check=stopped_at))
    if breach is not None and breach.key == "tampered":
        reported = reported or breach.values["what"]
    reported = reported or forged
    if reported is not None:
        by_name = {check.name: check for check in checks}
        results = [failed_check(by_name[r.check], "tampered", what=reported) for r in results]
    ended = time.monotonic()
    return ExerciseResult(exercise, results, ended - began,
                          timings=_phases(scratch / worker.TIMES_FILE, began, forked, reaped, ended))


def _phases(times_file: Path, began: float, forked: float, reaped: float, ended: float) -> dict[str, float]:
    """Where one exercise's grading time went, in seconds, from the runner's clock and the worker's report.

    ``prepare`` (list the checks), ``worker_start`` (fork or interpreter start, until the worker
    runs), ``worker_setup`` (isolation, until pytest starts), ``pytest`` (pytest's whole run: the
    checks, whose own time each check result carries, and pytest's start and end around them),
    ``worker_end`` (the worker stops what is left), ``reap`` (the runner waits for the worker and
    stops what is left), ``finish`` (the runner reads the results). A worker that left no report
    (killed, hung) has ``worker`` in place of the phases from ``worker_start`` to ``reap``.
    """
    phases = {"prepare": forked - began}
    try:
        worker_times = json.loads(times_file.read_text(encoding="utf-8"))
        phases.update({
            "worker_start": worker_times["began"] - forked,
            "worker_setup": worker_times["pytest_began"] - worker_times["began"],
            "pytest": worker_times["pytest_ended"] - worker_times["pytest_began"],
            "worker_end": worker_times["ended"] - worker_times["pytest_ended"],
            "reap": reaped - worker_times["ended"],
        })
    except (OSError, ValueError, KeyError, TypeError):
        phases["worker"] = reaped - forked
    phases["finish"] = ended - reaped
    return phases


def interrupted_result(exercise: Exercise) -> ExerciseResult:
    """``exercise`` with every check failed as ``grading_interrupted``: what a report says until it is graded.

    Reports are written before grading starts and after each exercise, so a grader that is killed
    midway (by the learner's code, or by a CI time limit) still leaves a complete report.
    """
    checks = [failed_check(check, "grading_interrupted") for check in checks_of(exercise)]
    return ExerciseResult(exercise, checks, 0.0)


def only_stubs(path: Path) -> bool:
    """Whether every public function of the module at ``path`` is still a stub (it only raises NotImplementedError).

    Read from the source, never run: a learner who has written nothing yet is "not started".
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return False
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    return bool(functions) and all(_is_stub(f) for f in functions)


def _is_stub(function: ast.FunctionDef) -> bool:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def failed_check(check: Check, key: str, /, **values: Any) -> CheckResult:
    """``check`` failed with text ``key`` filled with ``values``: for checks that never ran."""
    failure = {"key": key, "values": values,
               **{lang: messages.render(key, values, lang) for lang in messages.LANGS}}
    return CheckResult(check.name, check.title.as_dict(), check.points, passed=False, failure=failure)




def _read_results(path: Path, checks: list[Check]) -> tuple[dict[str, CheckResult], str | None]:
    """The result lines the worker wrote, by check, with the runner's own titles and points; and what
    proves some were forged, if anything does.

    The worker writes one line per check, in order, once its check has ended. A line for a check
    that does not exist, or a second line for a check, was written by someone else.
    """
    return _parse_results(path.read_text(encoding="utf-8") if path.exists() else "", checks)


def _parse_results(text: str, checks: list[Check]) -> tuple[dict[str, CheckResult], str | None]:
    """:func:`_read_results` of the lines in ``text``."""
    known = {check.name: check for check in checks}
    done: dict[str, CheckResult] = {}
    forged: str | None = None
    if text:
        lines = text.splitlines()
        for number, line in enumerate(lines, 1):
            try:
                result = CheckResult.from_line(json.loads(line))
            except (ValueError, KeyError, TypeError):
                if number < len(lines):  # only the last line can be cut short by a worker that died
                    forged = forged or f"a result line the grader did not write ({line[:60]!r})"
                continue
            if result.check not in known or result.check in done:
                forged = forged or f"a result line the grader did not write (for {result.check!r})"
                continue
            check = known[result.check]
            done[result.check] = dataclasses.replace(result, title=check.title.as_dict(), points=check.points)
    return done, forged


class _LinesInFile:
    """How many whole result lines the worker has written to its results file so far (read when it grew)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._size = 0
        self._lines = 0

    def __call__(self) -> int:
        try:
            size = self.path.stat().st_size
            if size != self._size:
                self._size = size
                self._lines = self.path.read_bytes().count(b"\n")
        except OSError:
            pass
        return self._lines


def _run_worker(job: worker.Job, clock: Clock, limits: limits_.Limits, pipe: evidence.ReportPipe,
                results: result_pipe.ResultsPipe | None = None) -> tuple[int | None, float | None, limits_.Breach | None]:
    """Run the worker for ``job`` to its end, a deadline of ``clock`` or a limit passed.

    The worker keeps the write end of ``pipe``; the runner, only the read end.

    Returns its exit code, the seconds it had been given if it hung (the check's, or the whole worker's),
    and the limit its process tree passed (it was then killed).
    """
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    if host.FORKS_WORKERS:
        with cleanup.interruptions_held():  # a Ctrl-C sent as the worker starts is never lost
            pid = os.fork()
            if pid:
                pipe.close_write_end()
                if results is not None:
                    results.handed_over()
                watchdog = limits_.Watchdog(pid, limits, Path(job.log))
                exitcode, overdue, breach = _wait(pid, clock, watchdog)
            else:
                cleanup.default_stop_signals()  # SIGTERM ends a worker and the learner's processes it forks
                os.close(pipe.read_fd)
                if results is not None:
                    os.close(results.read_fd)
        if pid == 0:
            worker.run(job)  # never returns
    else:
        proc = subprocess.Popen([sys.executable, "-c", "from grader.grading.worker import main; main()",
                                 worker.job_json(job)], cwd=KIT_ROOT,
                                pass_fds=tuple(fd for fd in (job.report_fd, job.results_fd) if fd >= 0))
        pipe.close_write_end()
        if results is not None:
            results.handed_over()
        exitcode, overdue, breach = _wait_process(proc, clock, limits_.Watchdog(proc.pid, limits, Path(job.log)))
        pid = proc.pid
    # Whatever is left: the worker itself if it hung, its group, and orphans re-parented to us.
    cleanup.kill_group(pid)
    cleanup.kill_tree(include_root=False)
    cleanup.reap_zombies()
    return exitcode, overdue, breach


def _wait(pid: int, clock: Clock,
          watchdog: limits_.Watchdog) -> tuple[int | None, float | None, limits_.Breach | None]:
    """Wait for child ``pid`` until a deadline of ``clock``, woken by its end where the OS allows (see cleanup),
    and stop it as soon as its process tree passes a limit."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), None, None
        breach = watchdog.check()
        overdue = clock.overdue()
        if overdue is not None or breach is not None:
            cleanup.kill_group(pid)
            cleanup.kill_tree(pid, include_root=True)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            return None, None if breach is not None else overdue, breach
        cleanup.wait_for_a_child(min(clock.left(), limits_.POLL_INTERVAL))


def _wait_process(proc: subprocess.Popen, clock: Clock,
                  watchdog: limits_.Watchdog) -> tuple[int | None, float | None, limits_.Breach | None]:
    """:func:`_wait` for a worker started as a fresh interpreter (platforms without ``fork``)."""
    while True:
        try:
            return proc.wait(min(clock.left(), limits_.POLL_INTERVAL)), None, None
        except subprocess.TimeoutExpired:
            pass
        breach = watchdog.check()
        overdue = clock.overdue()
        if breach is not None or overdue is not None:
            cleanup.kill_tree(proc.pid, include_root=True)
            proc.wait()
            return None, None if breach is not None else overdue, breach
