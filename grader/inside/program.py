"""Run the learner's function inside a whole program of its own, and see how that program ends.

Exercises ex06 and ex07 are about what happens when a *program* exits: the interpreter waits for
normal children and stops daemon ones. The grading process cannot show that (it never exits
normally), so a check runs a small program, this module, in a process of its own:

* the **check side**, :func:`run_program`, starts ``python -m grader.inside.program`` with a
  :class:`Spec` in the environment, waits for it to exit (bounded), notes when it exited, stops
  whatever it left behind and returns a :class:`ProgramRun` with everything that was recorded;
* the **program side**, :func:`main`, sets the start method, imports the learner's module,
  replaces the task (``work``) by a :class:`~grader.inside.observe.Probe`, calls the learner's function,
  writes down what it returned and when, waits until the worker has met it (proof that the
  function returned while the worker was alive) and has printed its first line, and then ends
  like any program: by running off the end of its main module.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grader import KIT_ROOT
from grader.inside import observe

ENV_SPEC = "MP_GRADER_PROGRAM"
MAIN_PARTY = "main"


@dataclass(frozen=True)
class Spec:
    """What the program does: call ``module.function(*args)`` with ``module.task`` recorded."""

    submission: str
    module: str
    function: str
    task: str
    word: str  # what the task prints: the program waits for it before it ends
    args: tuple
    start_method: str
    folder: str  # where the records go
    patience: float  # how long the program and the worker wait for each other

    @property
    def calls_dir(self) -> Path:
        return Path(self.folder) / "calls"

    @property
    def record_path(self) -> Path:
        return Path(self.folder) / "program.json"

    @property
    def rendezvous(self) -> observe.Rendezvous:
        """The worker meets the program's main module here: both alive at once, the call returned."""
        return observe.Rendezvous(str(Path(self.folder) / "rendezvous"), 2, self.patience)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Spec":
        data = json.loads(text)
        data["args"] = tuple(data["args"])
        return cls(**data)


# ---------------------------------------------------------------------------------------------
# The program side
# ---------------------------------------------------------------------------------------------


def _instrument(spec: Spec) -> ModuleType:
    """Import the learner's module and replace its task by a probe; return the module."""
    if spec.submission not in sys.path:
        sys.path.insert(0, spec.submission)
    module = importlib.import_module(spec.module)
    task = getattr(module, spec.task)
    setattr(module, spec.task, observe.Probe(task, spec.calls_dir, label=spec.task, rendezvous=spec.rendezvous))
    return module


class _Watch:
    """Every ``start()`` and ``join()`` of a process in the program, and whether the learner's call was running."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.owner = os.getpid()
        self.inside = False  # True while the learner's function runs
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.started: list[dict[str, Any]] = []
        self.joins: list[dict[str, Any]] = []

    def install(self) -> "_Watch":
        watch = self
        original_start = multiprocessing.process.BaseProcess.start
        original_join = multiprocessing.process.BaseProcess.join

        def start(process: multiprocessing.process.BaseProcess) -> None:
            if os.getpid() != watch.owner:
                return original_start(process)
            target = observe.target_name(process)  # start() drops the target once the child has it
            began = time.monotonic()
            original_start(process)
            watch.processes.append(process)
            watch.started.append({"pid": process.pid, "name": process.name, "daemon": process.daemon,
                                  "target": target, "at": began, "inside": watch.inside})

        def join(process: multiprocessing.process.BaseProcess, timeout: float | None = None) -> None:
            if os.getpid() == watch.owner and watch.inside and timeout is None and process in watch.processes:
                watch.joins.append({"pid": process.pid, "at": time.monotonic(), "alive": process.is_alive()})
                # The worker waits at the rendezvous for this call to return, which it will not do
                # before the worker ends: tell the worker not to wait.
                _leave(watch.spec)
            return original_join(process, timeout)

        multiprocessing.process.BaseProcess.start = start  # type: ignore[method-assign]
        multiprocessing.process.BaseProcess.join = join  # type: ignore[method-assign]
        return self


def _leave(spec: Spec) -> None:
    """Mark the main party as gone from the rendezvous, so that no worker waits for it."""
    folder = Path(spec.rendezvous.folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{MAIN_PARTY}-{os.getpid()}-joined.left").write_text("")


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
    root = Path(submission).resolve()

    def learners(filename: str) -> bool:
        try:
            return Path(filename).resolve().is_relative_to(root)
        except (OSError, ValueError):
            return False

    mine = [f for f in frames if learners(f.filename)]
    lines = traceback.format_list(mine) + traceback.format_exception_only(type(exc), exc)
    last = frames[-1] if frames else None
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:300],
        "traceback": "".join(lines).rstrip(),
        "in_learner_code": last is not None and learners(last.filename),
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
        begun = len(list(spec.calls_dir.glob("*.start.json")))
        ended = len(list(spec.calls_dir.glob("*.end.json")))
        for out in spec.calls_dir.glob("*.out.jsonl"):
            for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    chunk = json.loads(line)
                except ValueError:
                    continue
                if spec.word in chunk.get("text", ""):
                    return chunk["t"]
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
    multiprocessing.set_start_method(spec.start_method, force=True)
    sys.dont_write_bytecode = True  # the submission folder is never written to
    record: dict[str, Any] = {"pid": os.getpid(), "began": time.monotonic()}
    watch = _Watch(spec).install()
    try:
        module = _instrument(spec)
    except BaseException as exc:  # noqa: BLE001 - the learner's module may fail here although it imported in the grader
        record["import_error"] = _describe_error(exc, spec.submission)
        _save(spec, record)
        return
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
    _save(spec, record)
    ran_here = any(spec.calls_dir.glob("*.start.json"))
    # A thread the call started (a mistake, but one to report rightly) may not have reached the
    # task yet: wait for its first line as for a process's, or it would be cut off unseen.
    threads = [t for t in threading.enumerate() if t not in threads_before]
    if watch.started and not watch.joins:
        record["meeting"] = spec.rendezvous.meet(MAIN_PARTY)
    if watch.started or ran_here or threads:
        workers = [p for p in watch.processes if p.pid is not None] + threads
        met = bool(record.get("meeting", {}).get("met"))
        record["first_line"] = _first_line_at(spec, workers, met, spec.patience)
    record["helpers"] = _helper_pids()
    record["ending"] = time.monotonic()
    _save(spec, record)
    # Returning ends the program normally: the interpreter joins the normal children and stops
    # the daemon ones, exactly as it would for the learner's own program.


if __name__ == "__mp_main__" and ENV_SPEC in os.environ:
    # A spawn or forkserver child of the program: see the task here too.
    _instrument(Spec.from_json(os.environ[ENV_SPEC]))


# ---------------------------------------------------------------------------------------------
# The check side
# ---------------------------------------------------------------------------------------------


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
    calls: list[observe.Call]
    # pid, command, and whether it is one of multiprocessing's helpers (kept alive by the others)
    left_behind: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""  # the program's own stdout and stderr, for a grader error

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

    def at(self, moment: float | None) -> float:
        """``moment`` in seconds since the program was launched."""
        return (moment if moment is not None else self.exited) - self.launched


def run_program(spec: Spec, timeout: float, grace: float) -> ProgramRun:
    """Run the program for ``spec`` to its end (killed after ``timeout`` s) and gather what it recorded.

    Processes that outlive the program by more than ``grace`` seconds are listed in
    ``left_behind`` and stopped. The caller is expected to be a child subreaper (the grading
    worker is), so that the program's orphans are its descendants.
    """
    import psutil

    from grader.grading import cleanup  # psutil: the check side only

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
                proc = psutil.Process(pid)
                if proc.create_time() >= wall_launched - 1 and proc.status() != psutil.STATUS_ZOMBIE:
                    newcomers.append(proc)
            except psutil.Error:
                pass
    if newcomers:
        # The program's helpers (resource tracker, fork server) end on their own once it has gone.
        _, alive = psutil.wait_procs(newcomers, timeout=grace)
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
                      observe.read_calls(spec.calls_dir, spec.task), left, output)


def _popen(args: list[str], cwd: Path, env: dict[str, str], log: Any) -> Any:
    import subprocess

    return subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)


def _wait(proc: Any, timeout: float) -> tuple[int | None, bool]:
    """Wait for ``proc`` to exit, at most ``timeout`` s, noticing its exit at once; (exit code, timed out)."""
    import select
    import subprocess

    if hasattr(os, "pidfd_open"):
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


if __name__ == "__main__":
    main()
