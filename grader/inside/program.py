"""The whole program in which the learner's function runs, to see how that program ends.

Exercises ex06 and ex07 are about what happens when a *program* exits: the interpreter waits for
normal children and stops daemon ones. The grading process cannot show that (it never exits
normally), so a check starts this module as a program of its own (the check side is
:mod:`grader.checks.program_run`), with a :class:`Spec` in the environment. :func:`main` sets the
start method, imports the learner's module, replaces the task (``work``) by a
:class:`~grader.inside.probes.Probe`, calls the learner's function, writes down what it returned
and when, waits until the worker has met it (proof that the function returned while the worker
was alive) and has printed its first line, and then ends like any program: by running off the
end of its main module. The worker is held twice (:mod:`grader.inside.program_gates`): before its
work until the call returned, and before its last line until the main process joins it, so that
what the program does at its end, not the machine's speed, decides how much of the work is done.
While the call runs, every ``join()``, every ``time.sleep`` of the learner's code and every
``terminate()``/``kill()`` is written down.

Nothing depends on how output is buffered: the probe writes each line the worker prints, with a
time stamp, to a file as it is printed, so a daemon killed mid-work leaves the lines it printed.

Under ``spawn`` and ``forkserver`` every child imports this module again as ``__mp_main__``; it
then replaces the task in the child's copy of the learner's module as well, so a worker that
calls ``work`` by its global name (a ``Process`` subclass, a small wrapper function) is seen
too. The program side imports nothing heavy (no pytest, no psutil).
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import multiprocessing.process
import multiprocessing.reduction
import os
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.inside.call_records import record_lines
from grader.inside.hooks import watch_starts_and_joins
from grader.inside.probes import Probe
from grader.inside.program_gates import MAIN_PARTY, ProgramGates
from grader.inside.records import END, OUT, START, parameters_of
from grader.inside.tracebacks import is_under, learners_traceback
from grader.inside.witnessed import WitnessedProbe

ENV_SPEC = "MP_GRADER_PROGRAM"
ENV_MAIN_PID = "MP_GRADER_PROGRAM_PID"  # the main process, for children started by spawn or forkserver
_MULTIPROCESSING = os.path.dirname(multiprocessing.__file__)


@dataclass(frozen=True)
class Spec:
    """What the program does: call ``module.function(*args)`` with ``module.task`` recorded (``args[0]``: its lines)."""

    submission: str
    module: str
    function: str
    task: str
    word: str  # what the task prints: the program waits for it before it ends
    args: tuple
    start_method: str
    folder: str  # where the records go
    patience: float  # how long the program and the worker wait for each other, at each gate
    witness: str | None = None  # the checker's witness (grader.grading.witness): the task shows itself to it
    token: str = ""  # this run's token at the witness

    @property
    def calls_dir(self) -> Path:
        return Path(self.folder) / "calls"

    @property
    def record_path(self) -> Path:
        return Path(self.folder) / "program.json"

    @property
    def gates(self) -> ProgramGates:
        """Where the worker waits for the call to return, and then for the main process to join it."""
        main_pid = int(os.environ.get(ENV_MAIN_PID, os.getpid()))
        return ProgramGates(self.folder, self.word, self.args[0], self.patience, main_pid)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Spec":
        data = json.loads(text)
        data["args"] = tuple(data["args"])
        return cls(**data)


def _instrument(spec: Spec) -> tuple[ModuleType, Any]:
    """Import the learner's module and replace its task by a probe; return the module and the task itself."""
    if spec.submission not in sys.path:
        sys.path.insert(0, spec.submission)
    module = importlib.import_module(spec.module)
    task = getattr(module, spec.task)
    probe = (WitnessedProbe(task, spec.calls_dir, spec.task, address=spec.witness, token=spec.token, rendezvous=spec.gates)
             if spec.witness else Probe(task, spec.calls_dir, label=spec.task, rendezvous=spec.gates))  # type: ignore[arg-type]
    setattr(module, spec.task, probe)
    return module, task


class _Watch:
    """What the program does with its processes: starts, joins, stops, and the learner's sleeps during the call."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.gates = spec.gates
        self.owner = os.getpid()
        self.inside = False  # True while the learner's function runs
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.started: list[dict[str, Any]] = []
        self.joins: list[dict[str, Any]] = []  # inside the call, with their timeouts
        self.sleeps: list[dict[str, Any]] = []  # time.sleep by the learner's code, inside the call, after a start
        self.stops: list[dict[str, Any]] = []  # terminate() and kill() not made by multiprocessing itself
        self.changed: Any = None  # called after a stop once the call has returned (the record is saved again)

    def install(self) -> "_Watch":
        """Start watching the program's processes and the learner's sleeps."""
        watch_starts_and_joins(self._started, before_join=self._joining)
        self._watch_stops()
        self._watch_sleeps()
        return self

    @property
    def joined_inside(self) -> bool:
        """Whether the call joined a process without a timeout (it waits until that process ends)."""
        return any(j["timeout"] is None for j in self.joins)

    def _started(self, process: multiprocessing.process.BaseProcess, began: float, target: str) -> None:
        self.processes.append(process)
        self.started.append({"pid": process.pid, "name": process.name, "daemon": process.daemon,
                             "target": target, "at": began, "inside": self.inside})

    def _joining(self, process: multiprocessing.process.BaseProcess, timeout: float | None) -> None:
        if self.inside and process in self.processes:
            self.joins.append({"pid": process.pid, "at": time.monotonic(), "timeout": timeout,
                               "alive": _alive(process)})
            if timeout is None:
                # The worker waits at the first gate for this call to return, which it will not
                # do before the worker ends: tell the worker not to wait.
                self.gates.leave_rendezvous()
        if timeout is None and _alive(process):
            # Blocked until it ends (the interpreter's own join at exit, or the learner's): let
            # the worker do the rest of its work. A join with a timeout gives up: it lets nothing go.
            self.gates.let_go(process.pid)

    def _watch_stops(self) -> None:
        """Note every terminate() and kill() made by other code than multiprocessing's own (a pool's clean-up)."""
        for name in ("terminate", "kill"):
            original = getattr(multiprocessing.process.BaseProcess, name)

            def stop(process: multiprocessing.process.BaseProcess, _original: Any = original, _name: str = name) -> None:
                caller = _caller_file()
                if os.getpid() == self.owner and not caller.startswith(_MULTIPROCESSING):
                    self.stops.append({"pid": process.pid, "how": _name, "at": time.monotonic(), "inside": self.inside})
                    if not self.inside and self.changed is not None:
                        self.changed()
                _original(process)

            setattr(multiprocessing.process.BaseProcess, name, stop)

    def _watch_sleeps(self) -> None:
        """Note each time.sleep the learner's code makes during the call, once it has started a process."""
        original = time.sleep

        def sleep(seconds: float) -> None:
            if self.inside and self.processes and os.getpid() == self.owner and seconds > 0:
                if is_under(_caller_file(), self.spec.submission):
                    self.sleeps.append({"at": time.monotonic(), "seconds": seconds})
            original(seconds)

        time.sleep = sleep  # type: ignore[assignment]


def _alive(process: multiprocessing.process.BaseProcess) -> bool:
    """``process.is_alive()``, False where it refuses (not a child of this process, closed): join() tells the learner."""
    try:
        return process.is_alive()
    except (AssertionError, ValueError):
        return False


def _caller_file() -> str:
    """The file of the code that called the function calling this one; "" when that is not Python (atexit)."""
    try:
        return sys._getframe(2).f_code.co_filename
    except ValueError:
        return ""


def _describe_result(value: Any) -> dict[str, Any]:
    """What the learner's function returned, as far as the checks need to know."""
    found: dict[str, Any] = {"type": type(value).__name__,
                             "is_process": isinstance(value, multiprocessing.process.BaseProcess),
                             "is_thread": isinstance(value, threading.Thread)}
    try:
        found["repr"] = repr(value)[:80]
    except Exception as exc:  # noqa: BLE001 - a learner's class may have a broken __repr__
        found["repr"] = f"<{found['type']} object (repr failed: {type(exc).__name__})>"
    if found["is_process"]:
        found.update(pid=value.pid, daemon=value.daemon, name=str(value.name), exitcode=value.exitcode,
                     started=value.pid is not None and getattr(value, "_popen", None) is not None)
        try:
            found["alive"] = value.is_alive()
        except (AssertionError, ValueError):  # closed, or not a child of this process
            found["alive"] = None
    return found


def _describe_error(exc: BaseException, submission: str) -> dict[str, Any]:
    """The learner's exception: its type, message, and the traceback cut to the learner's frames."""
    frames = traceback.extract_tb(exc.__traceback__)
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:300],
        "traceback": learners_traceback(exc, submission),
        "in_learner_code": bool(frames) and is_under(frames[-1].filename, submission),
        # multiprocessing refuses to change ``daemon`` once the process has started.
        "daemon_after_start": isinstance(exc, AssertionError) and any(
            f.name == "daemon" and f.filename == multiprocessing.process.__file__ for f in frames),
        # start() could not send the target to the child (spawn, forkserver): a lambda, a local function.
        # The error's type and wording change between Pythons (3.13 says "Can't get local object"), so
        # look for where it was raised: in the pickler, called from start().
        "cannot_pickle": any(f.name == "start" and f.filename == multiprocessing.process.__file__
                             for f in frames) and any(
            f.name == "dump" and f.filename == multiprocessing.reduction.__file__ for f in frames),
    }


def _save(spec: Spec, record: dict[str, Any]) -> None:
    path = spec.record_path
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _first_line_at(spec: Spec, workers: list[Any], met: bool, patience: float) -> float | None:
    """When the task's first line was recorded, waiting up to ``patience`` s; None if it never was.

    ``workers`` are what the learner's call started (processes, threads). Stops waiting early when
    no line can come any more: every call of the task has ended, or no call began, none is about
    to (``met``: a worker is past the rendezvous) and every worker is gone.
    """
    deadline = time.monotonic() + patience
    while True:
        # Looked at before the files: a worker that printed and then died is still found.
        dead = not any(w.is_alive() for w in workers)
        lines = record_lines(spec.calls_dir)
        begun = sum(1 for line in lines if line.get("kind") == START)
        ended = sum(1 for line in lines if line.get("kind") == END)
        for line in lines:
            if line.get("kind") == OUT and spec.word in str(line.get("text", "")):
                return line.get("t")
        if (begun and ended >= begun) or (not begun and dead and not met) or time.monotonic() >= deadline:
            return None
        # The line is written by another process into a file: there is no handle to block on.
        time.sleep(0.002)


def _helper_pids() -> list[int]:
    """The pids of multiprocessing's own helpers in this program (resource tracker, fork server)."""
    found = []
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    server = sys.modules.get("multiprocessing.forkserver")
    for helper, attribute in ((getattr(tracker, "_resource_tracker", None), "_pid"),
                              (getattr(server, "_forkserver", None), "_forkserver_pid")):
        pid = getattr(helper, attribute, None)
        if isinstance(pid, int):
            found.append(pid)
    return found


def main() -> None:
    """Call the learner's function as a program's main module would, then end normally."""
    spec = Spec.from_json(os.environ[ENV_SPEC])
    os.environ[ENV_MAIN_PID] = str(os.getpid())
    multiprocessing.set_start_method(spec.start_method, force=True)
    sys.dont_write_bytecode = True  # the submission folder is never written to
    record: dict[str, Any] = {"pid": os.getpid(), "began": time.monotonic()}
    watch = _Watch(spec).install()
    try:
        module, task = _instrument(spec)
    except BaseException as exc:  # noqa: BLE001 - the learner's module may fail here although it imported in the grader
        record["import_error"] = _describe_error(exc, spec.submission)
        _save(spec, record)
        return
    record["task_parameters"] = parameters_of(task)
    record["called"] = time.monotonic()
    _save(spec, record)  # so that a program the learner's code ends still shows the call began
    watch.inside = True
    threads_before = set(threading.enumerate())
    result = None
    try:
        result = getattr(module, spec.function)(*spec.args)
    except BaseException as exc:  # noqa: BLE001 - whatever the learner's code raises is the finding
        record["error"] = _describe_error(exc, spec.submission)
    finally:
        watch.inside = False
    record["returned"] = time.monotonic()
    record["result"] = _describe_result(result)
    record["started"] = watch.started
    record["joins"] = watch.joins
    record["sleeps"] = watch.sleeps
    record["stops"] = watch.stops
    _save(spec, record)
    ran_here = any(line.get("kind") == START for line in record_lines(spec.calls_dir))
    # A thread the call started (a mistake, but one to report rightly) may not have reached the
    # task yet: wait for its first line as for a process's, or it would be cut off unseen.
    threads = [t for t in threading.enumerate() if t not in threads_before]
    if watch.started and not watch.joined_inside:
        record["meeting"] = spec.gates.rendezvous.meet(MAIN_PARTY)
    if watch.started or ran_here or threads:
        workers = [p for p in watch.processes if p.pid is not None] + threads
        met = bool(record.get("meeting", {}).get("met"))
        record["first_line"] = _first_line_at(spec, workers, met, spec.patience)
    record["helpers"] = _helper_pids()
    record["ending"] = time.monotonic()
    _save(spec, record)
    # What the program does from here on (its atexit handlers) is saved as it happens.
    watch.changed = lambda: _save(spec, record)
    # Returning ends the program normally: the interpreter joins the normal children and stops
    # the daemon ones, exactly as it would for the learner's own program.


if __name__ == "__mp_main__" and ENV_SPEC in os.environ:
    # A spawn or forkserver child of the program: see the task here too.
    _instrument(Spec.from_json(os.environ[ENV_SPEC]))


if __name__ == "__main__":
    main()
