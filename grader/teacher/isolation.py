"""Grading one submission in isolation: ``python -m grader`` in a process session of its own, read back from its record.

The grader writes its own record of the run (``--record FILE``, :func:`grader.results.read_run`), so
a submission's grade here is the grade it gets alone, check by check, never re-read from a report's
wording. Whatever the submission does (hang, die, kill or stop its grader) shows in its own row only,
and nothing it started outlives its grading.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from grader import KIT_ROOT, messages
from grader.catalogue import Exercise
from grader.grading import cleanup, runner, sandbox
from grader.results import CheckResult, ExerciseResult, GradeRun, read_run
from grader.teacher.texts import note

TOKEN_VAR = "MP_GRADEBOOK_TOKEN"


@dataclass
class Settings:
    """How every submission of one gradebook is graded: the same for all of them."""

    exercises: list[Exercise]
    seed: int
    start_method: str
    lang: str
    check_timeout: float
    submission_timeout: float


class Supervisor:
    """Runs graders, each in a process session of its own, and leaves none of their processes behind.

    Each grader gets a token of its own in its environment, which every process it starts inherits;
    after the grader ends, every process still carrying its token is killed, wherever it was
    re-parented to. The gradebook is deliberately *not* a child subreaper: orphans of a grader that
    died must not become its children, or a submission's ``os.kill(os.getppid(), ...)`` would reach
    the gradebook itself (seen in this kit's tests) instead of init, which ignores it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[int, str] = {}  # pid -> token of every grader running now
        self._stopping = False

    def run(self, command: list[str], cwd: Path, env: dict[str, str], log: Path, errors: Path,
            timeout: float) -> tuple[int | None, bool]:
        """Run ``command`` (its output to ``log`` and ``errors``) to its end or ``timeout`` seconds.

        Return its exit code (None if it was stopped) and whether it hung.
        """
        token = uuid.uuid4().hex
        with open(log, "wb") as out, open(errors, "wb") as err:
            with self._lock:
                if self._stopping:
                    return None, True
                proc = subprocess.Popen(command, cwd=cwd, env={**env, TOKEN_VAR: token}, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=err, start_new_session=True)
                self._running[proc.pid] = token
            try:
                exitcode: int | None = proc.wait(timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                exitcode, timed_out = None, True
                # Not reaped yet, so its pid cannot have been reused: its tree is still its own.
                cleanup.kill_tree(proc.pid, include_root=True)
                proc.wait()
        with self._lock:
            self._running.pop(proc.pid, None)
        cleanup.kill_group(proc.pid)
        kill_carriers(token)
        return exitcode, timed_out

    def stop_all(self) -> None:
        """Kill every grader running now and all they started (the teacher pressed Ctrl-C)."""
        with self._lock:
            self._stopping = True
            running = dict(self._running)
        for pid, token in running.items():
            cleanup.kill_tree(pid, include_root=True)
            kill_carriers(token)


def kill_carriers(token: str, rounds: int = 20) -> int:
    """SIGKILL every process whose environment carries ``token`` (and what they started); return how many."""
    killed = 0
    for _ in range(rounds):
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.environ().get(TOKEN_VAR) == token and proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
            except (psutil.Error, OSError):
                continue
        if not found:
            break
        for proc in found:
            killed += cleanup.kill_tree(proc.pid, include_root=True, rounds=1)
        psutil.wait_procs(found, timeout=2)
    return killed


def grader_command(folder: Path, record: Path, settings: Settings) -> list[str]:
    """The ``python -m grader`` command that grades ``folder`` alone, exactly as the gradebook does."""
    command = [sys.executable, "-m", "grader", str(folder), "--record", str(record),
               "--seed", str(settings.seed), "--start-method", settings.start_method, "--lang", settings.lang,
               "--timeout", f"{settings.check_timeout:g}", "--sandbox"]
    for exercise in settings.exercises:
        command += ["--only", exercise.id]
    return command


def grader_env() -> dict[str, str]:
    env = dict(os.environ)
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(KIT_ROOT), *rest])
    return env


def grade_folder(folder: Path, settings: Settings, work: Path, supervisor: Supervisor,
                 name: str | None = None) -> tuple[GradeRun, list[str]]:
    """Grade the modules in ``folder`` by ``python -m grader`` in a session of its own.

    Return the run it recorded and notes on anything unusual (hung, killed, crashed). When the
    grader left no record at all, the run has every check failed with the reason.
    """
    lang = settings.lang
    name = name or folder.name
    record, log, errors, cwd = work / "record.json", work / "grader.log", work / "grader.err", work / "cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    exitcode, timed_out = supervisor.run(grader_command(folder, record, settings), cwd, grader_env(), log, errors,
                                         settings.submission_timeout)
    notes = []
    if timed_out:
        notes.append(note(lang, "timed_out", seconds=settings.submission_timeout))
    elif exitcode is not None and exitcode < 0:
        notes.append(note(lang, "killed", signal=-exitcode))
    elif exitcode not in (0, 1) or _crashed(errors):
        # The learner's own output never reaches the grader's stderr (its workers redirect it), so a
        # traceback there is the grader's.
        notes.append(note(lang, "crashed", exitcode=exitcode, detail=_last_line(errors)))
    try:
        run = read_run(record)
    except (OSError, ValueError):
        how = (note(lang, "how_timeout", seconds=settings.submission_timeout) if timed_out
               else note(lang, "how_exit", exitcode=exitcode))
        run = failed_run(settings, "no_result", name=name, how=how, detail=_last_line(errors))
    sandbox_note = no_sandbox_note(lang, _text_of(errors))
    if sandbox_note:
        notes.append(sandbox_note)
    tampered = [e.exercise.id for e in run.exercises if any(c.key == "tampered" for c in e.checks)]
    if tampered:
        notes.append(note(lang, "tampering", exercises=", ".join(tampered)))
    return run, notes


def no_sandbox_note(lang: str, grader_errors: str) -> str:
    """The note that says the grader (whose stderr is ``grader_errors``) ran without the sandbox and what held instead; "" if it ran inside."""
    if sandbox.NOT_IN_FORCE not in grader_errors:
        return ""
    line = next(line for line in grader_errors.splitlines() if sandbox.NOT_IN_FORCE in line)
    in_force = line.split(" Not in force:", 1)[0]
    another_user = sandbox.AS_ANOTHER_USER in in_force
    no_network = f"; {sandbox.NO_NETWORK}:" in in_force
    parts = ["held_limits", *(["held_no_network"] if no_network else []), *(["held_another_user"] if another_user else []),
             *([] if no_network else ["not_isolated_network"]),
             "not_isolated_shared" if another_user else "not_isolated_files"]
    return note(lang, "no_sandbox", held=("；" if lang == "zh" else "; ").join(note(lang, part) for part in parts))


def failed_run(settings: Settings, key: str, /, **values: Any) -> GradeRun:
    """The run of a submission that could not be graded: every check failed with the reason ``key`` of MESSAGES."""
    failure = {"key": key, "values": values,
               **{lang: messages.render(key, values, lang) for lang in messages.LANGS}}
    results = []
    for exercise in settings.exercises:
        checks = [CheckResult(check.name, check.title.as_dict(), check.points, passed=False, failure=failure)
                  for check in runner.checks_of(exercise)]
        results.append(ExerciseResult(exercise, checks))
    return GradeRun("", settings.start_method, settings.seed, results, 0.0)


def _text_of(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _crashed(log: Path) -> bool:
    try:
        return "Traceback (most recent call last)" in log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""
