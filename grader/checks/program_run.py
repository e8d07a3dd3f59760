"""The check side of the whole-program harness: start the program, wait for its end, gather its records.

:func:`run_program` starts ``python -m grader.inside.program`` (:mod:`grader.inside.program`) with a
:class:`~grader.inside.program.Spec` in the environment, waits for it to exit (bounded), notes when
it exited, stops whatever it left behind and returns a :class:`ProgramRun` with everything that
was recorded. Used by the checks of ex06 and ex07 (:mod:`grader.checks.whole_program`).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from grader import KIT_ROOT, host
from grader.grading import cleanup
from grader.inside.program import ENV_SPEC, Spec
from grader.inside.records import Call, read_calls


@dataclass
class ProgramRun:
    """One run of the program: when it ran, how it ended, and what it recorded."""

    spec: Spec
    launched: float
    exited: float
    exitcode: int | None
    timed_out: bool
    pid: int
    record: dict[str, Any]
    calls: list[Call]
    # pid, command, and whether it is one of multiprocessing's helpers (kept alive by the others)
    left_behind: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""  # the program's own stdout and stderr, for a grader error
    # the worker's holds before its last line (grader.inside.program_gates): pid, arrived, released, why
    holds: list[dict[str, Any]] = field(default_factory=list)
    # the pids the kernel showed running the task (grader.grading.witness); None where there is no witness
    witnessed_pids: set[int] | None = None

    @property
    def task_calls(self) -> list[Call]:
        """The task's recorded calls that happened: with a witness, only those of a process the kernel
        showed running the task (the records are the program's, within the learner's reach)."""
        if self.witnessed_pids is None:
            return self.calls
        return [call for call in self.calls if call.pid in self.witnessed_pids]

    @property
    def finished_call(self) -> bool:
        """Whether the learner's function returned (or raised) inside the program."""
        return "returned" in self.record

    @property
    def error(self) -> dict[str, Any] | None:
        return self.record.get("error")

    @property
    def result(self) -> dict[str, Any]:
        return self.record.get("result", {})

    @property
    def started(self) -> list[dict[str, Any]]:
        """The processes started in the program (by the learner's function, or later)."""
        return self.record.get("started", [])

    @property
    def met(self) -> bool:
        return bool(self.record.get("meeting", {}).get("met"))

    @property
    def joins(self) -> list[dict[str, Any]]:
        """The joins the learner's call made (pid, timeout: None for a join without one)."""
        return self.record.get("joins", [])

    @property
    def sleeps(self) -> list[dict[str, Any]]:
        """The learner's time.sleep calls during the call, after it had started a process."""
        return self.record.get("sleeps", [])

    @property
    def stops(self) -> list[dict[str, Any]]:
        """terminate() and kill() calls in the main process, the call's and those of its exit."""
        return self.record.get("stops", [])

    def hold_of(self, pid: int) -> dict[str, Any] | None:
        """The hold of the worker ``pid`` before its last line; None if it was never held there."""
        return next((h for h in self.holds if h.get("pid") == pid), None)

    def at(self, moment: float | None) -> float:
        """``moment`` in seconds since the program was launched."""
        return (moment if moment is not None else self.exited) - self.launched


# Seconds more that multiprocessing's helpers, once they are all that is left of a program, are given to end.
HELPER_PATIENCE = 5.0


def run_program(spec: Spec, timeout: float, grace: float) -> ProgramRun:
    """Run the program for ``spec`` to its end (killed after ``timeout`` s) and gather what it recorded.

    Processes that outlive the program by more than ``grace`` seconds are listed in
    ``left_behind`` and stopped. The caller is expected to be a child subreaper (the grading
    worker is), so that the program's orphans are its descendants.
    """
    folder = Path(spec.folder)
    (folder / "cwd").mkdir(parents=True, exist_ok=True)
    before = {p.pid for p in cleanup.descendants()}
    env = {**os.environ, "PYTHONPATH": str(KIT_ROOT), ENV_SPEC: spec.to_json(), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONSTARTUP", None)
    log_path = folder / "program.log"
    with open(log_path, "wb") as log:
        launched, wall_launched = time.monotonic(), time.time()
        proc = _popen([sys.executable, "-m", "grader.inside.program"], folder / "cwd", env, log)
        try:
            exitcode, timed_out = _wait(proc, timeout)
        except BaseException:  # the check's own time limit: leave no program running behind it
            cleanup.kill_tree(proc.pid, include_root=True)
            proc.wait()
            raise
        exited = time.monotonic()
    if timed_out:
        cleanup.kill_tree(proc.pid, include_root=True)
        proc.wait()
    record: dict[str, Any] = {}
    if spec.record_path.exists():
        record = json.loads(spec.record_path.read_text(encoding="utf-8"))
    left: list[dict[str, Any]] = []
    newcomers = [p for p in cleanup.descendants() if p.pid not in before]
    # Where orphans do not come back to us (no subreaper: not Linux), look the program's own
    # processes up by pid; one started after the launch is the same process, not a reused pid.
    known = {p.pid for p in newcomers}
    for entry in record.get("started", []):
        pid = entry.get("pid")
        if pid and pid not in known:
            try:
                started = psutil.Process(pid)
                if started.create_time() >= wall_launched - 1 and started.status() != psutil.STATUS_ZOMBIE:
                    newcomers.append(started)
            except psutil.Error:
                pass
    if newcomers:
        # The program's helpers (resource tracker, fork server) end on their own once it has gone.
        _, alive = psutil.wait_procs(newcomers, timeout=grace)
        helpers = set(record.get("helpers", []))
        if alive and all(p.pid in helpers for p in alive):
            # Only multiprocessing's own helpers are left: they end once they read that the program has gone,
            # which a busy machine may let them do later than the grace (3.15, forkserver, load 42: the ex06
            # solution's fork server). One that a hidden process of the learner's still holds stays past this too.
            _, alive = psutil.wait_procs(alive, timeout=max(HELPER_PATIENCE, 2 * grace))
        left = [_describe_process(p) for p in alive]
        # All at once: a fork server's child is only reaped once the server itself is gone.
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=5)
        for p in alive:
            cleanup.kill_tree(p.pid, include_root=True)
    for entry in left:
        entry["helper"] = entry["pid"] in record.get("helpers", [])
    output = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    return ProgramRun(spec, launched, exited, exitcode, timed_out, proc.pid, record,
                      read_calls(spec.calls_dir, spec.task), left, output, spec.gates.holds())


def _popen(args: list[str], cwd: Path, env: dict[str, str], log: Any) -> Any:
    return subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)


def _wait(proc: Any, timeout: float) -> tuple[int | None, bool]:
    """Wait for ``proc`` to exit, at most ``timeout`` s, noticing its exit at once; (exit code, timed out)."""
    if host.HAS_PIDFD:
        try:
            fd = os.pidfd_open(proc.pid)
        except OSError:
            fd = None
        if fd is not None:
            try:
                ready, _, _ = select.select([fd], [], [], timeout)
            finally:
                os.close(fd)
            if not ready:
                return None, True
            return proc.wait(), False
    try:
        return proc.wait(timeout), False
    except subprocess.TimeoutExpired:
        return None, True


def _describe_process(proc: Any) -> dict[str, Any]:
    """A process left running: its pid and the start of its command line."""
    try:
        command = " ".join(proc.cmdline())[:80]
    except Exception:  # noqa: BLE001 - it may have ended meanwhile
        command = ""
    return {"pid": proc.pid, "command": command}
