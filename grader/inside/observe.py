"""See what the learner's processes really did.

Two instruments, both working under ``fork``, ``spawn`` and ``forkserver``:

* :class:`Probe` stands in for a function (the learner's or one of the grader's tasks). Every
  call writes its own record files: who ran it (pid, parent, process and thread name, and *how*:
  in a new process, through ``run()``, in a thread or called directly), the arguments, start and
  end on ``time.monotonic()`` (system-wide on Linux), and everything it printed, line by line with
  a time stamp. The files are written as the call goes, so a child that is killed mid-work still
  leaves what it did so far. A probe pickles by *name* (its ``__reduce__``), so ``spawn`` and
  ``forkserver`` children rebuild it by importing the module, and pool tasks carry it too.
* :class:`ProcessRegistry` wraps ``BaseProcess.start`` in the grading process: every ``Process``,
  ``Pool`` worker and executor worker is started from there, so each start is seen, and a watcher
  thread waits on each sentinel for the end.
"""

from __future__ import annotations

import importlib
import io
import itertools
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

# How a call was run, as recorded by a probe.
IN_NEW_PROCESS = "process"
VIA_RUN = "run"
IN_THREAD = "thread"
DIRECT_CALL = "direct"


def jsonable(value: Any) -> Any:
    """A JSON form of ``value`` that keeps str/int/float/bool/None exact and lists/tuples as lists."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, os.PathLike):  # a pathlib.Path argument is recorded as the path it names
        return os.fsdecode(os.fspath(value))
    return {"repr": repr(value)[:200], "type": type(value).__name__}


def _write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _how_called() -> str:
    """Whether the current call runs in a child process, a thread, under ``Process.run`` or directly."""
    if multiprocessing.parent_process() is not None:
        return IN_NEW_PROCESS
    if threading.current_thread() is not threading.main_thread():
        return IN_THREAD
    frame = sys._getframe()
    while frame is not None:
        code = frame.f_code
        if code.co_name == "run" and code.co_filename == multiprocessing.process.__file__:
            return VIA_RUN
        frame = frame.f_back
    return DIRECT_CALL


class _OutputLog(io.TextIOBase):
    """A stand-in for ``sys.stdout`` that appends each write, time-stamped, to a JSON-lines file.

    Each write is one ``O_APPEND`` write of a whole line, so nothing depends on how the learner's
    stdout is buffered, and a process killed mid-work loses nothing it had printed.
    """

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            line = json.dumps({"t": time.monotonic(), "text": text}, ensure_ascii=False) + "\n"
            os.write(self._fd, line.encode("utf-8"))
        return len(text)

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()


class _PerThreadStdout(io.TextIOBase):
    """Routes ``print`` of a thread that is inside a probe to that probe's log, others to the real stdout."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.local = threading.local()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        target = getattr(self.local, "log", None) or self.real
        return target.write(text)

    def flush(self) -> None:
        target = getattr(self.local, "log", None) or self.real
        if target is not None:
            target.flush()


_stdout_lock = threading.Lock()


def _capture_stdout_into(log: _OutputLog) -> Callable[[], None]:
    """Send this thread's ``sys.stdout`` to ``log`` until the returned function is called."""
    with _stdout_lock:
        if not isinstance(sys.stdout, _PerThreadStdout):
            sys.stdout = _PerThreadStdout(sys.stdout)
        router = sys.stdout
    previous = getattr(router.local, "log", None)
    router.local.log = log

    def restore() -> None:
        router.local.log = previous

    return restore


@dataclass(frozen=True)
class Rendezvous:
    """Parties that announce themselves and wait, up to ``patience`` seconds, for all the others.

    Meeting proves that the parties were alive at the same time whatever the machine's load: a
    party that arrives after another gave up does not wait at all.
    """

    folder: str
    parties: int
    patience: float

    def meet(self, who: str) -> dict:
        """Announce ``who``; return whether every party met and how long this one waited."""
        folder = Path(self.folder)
        folder.mkdir(parents=True, exist_ok=True)
        me = folder / f"{who}-{os.getpid()}-{os.urandom(3).hex()}"
        me.write_text("")
        arrived = time.monotonic()
        deadline = arrived + self.patience
        met = False
        while True:
            names = os.listdir(folder)
            gone = {n[: -len(".left")] for n in names if n.endswith(".left")}
            present = [n for n in names if not n.endswith(".left") and n not in gone]
            if len(present) >= self.parties:
                met = True
                break
            if gone or time.monotonic() >= deadline:
                break
            # The partner is another process that may be anywhere in its start-up; there is no
            # handle to block on across pools and start methods, so look again shortly.
            time.sleep(0.002)
        if not met:
            (folder / (me.name + ".left")).write_text("")
        return {"met": met, "waited": time.monotonic() - arrived}


class Probe:
    """A callable stand-in for ``func`` that records every call into ``record_dir``.

    ``bound`` is added to the call's keyword arguments (the grader's own tasks take their
    settings this way); ``label`` names the calls in the records; ``rendezvous``, when given, is
    met before the call when it runs in a process of its own.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        record_dir: str | os.PathLike[str],
        label: str | None = None,
        bound: dict | None = None,
        rendezvous: Rendezvous | None = None,
        grader_pid: int | None = None,
    ) -> None:
        while isinstance(func, Probe):
            func = func.func
        self.func = func
        self.module = func.__module__
        self.qualname = func.__qualname__
        self.record_dir = str(record_dir)
        self.label = label or func.__name__
        self.bound = dict(bound or {})
        self.rendezvous = rendezvous
        self.grader_pid = grader_pid if grader_pid is not None else os.getpid()
        # Let the learner's code see the function it expects (name, docstring, signature).
        self.__name__ = func.__name__
        self.__qualname__ = func.__qualname__
        self.__doc__ = func.__doc__
        self.__wrapped__ = func

    def __reduce__(self) -> tuple:
        return (
            _rebuild_probe,
            (self.module, self.qualname, self.record_dir, self.label, self.bound, self.rendezvous, self.grader_pid),
        )

    def __repr__(self) -> str:
        return f"<function {self.qualname}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        call_id = f"{self.label}-{os.getpid()}-{threading.get_ident()}-{os.urandom(4).hex()}"
        folder = Path(self.record_dir)
        folder.mkdir(parents=True, exist_ok=True)
        parent = multiprocessing.parent_process()
        record = {
            "id": call_id,
            "label": self.label,
            "function": self.qualname,
            "how": _how_called(),
            "pid": os.getpid(),
            "ppid": os.getppid(),
            "parent_pid": parent.pid if parent is not None else None,
            "process_name": multiprocessing.current_process().name,
            "thread_name": threading.current_thread().name,
            "args": jsonable(list(args)),
            "kwargs": jsonable(kwargs),
            "called": time.monotonic(),
        }
        if self.rendezvous is not None and record["how"] == IN_NEW_PROCESS:
            record["rendezvous"] = self.rendezvous.meet(self.label)
        record["start"] = time.monotonic()
        cpu_began = time.thread_time()
        _write_json_atomically(folder / f"{call_id}.start.json", record)
        log = _OutputLog(folder / f"{call_id}.out.jsonl")
        restore = _capture_stdout_into(log)
        outcome: dict = {"error": None}
        try:
            return self.func(*args, **{**self.bound, **kwargs})
        except BaseException as exc:
            outcome["error"] = {"type": type(exc).__name__, "message": str(exc)[:500]}
            raise
        finally:
            restore()
            log.close()
            outcome["end"] = time.monotonic()
            outcome["cpu"] = time.thread_time() - cpu_began
            _write_json_atomically(folder / f"{call_id}.end.json", outcome)


def _rebuild_probe(module: str, qualname: str, record_dir: str, label: str, bound: dict,
                   rendezvous: Rendezvous | None, grader_pid: int) -> Probe:
    """Rebuild a probe in another process by importing its function by name."""
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    # Under fork the module is the grading process's copy, patched with the probe itself.
    return Probe(target, record_dir, label, bound, rendezvous, grader_pid)


@dataclass
class Call:
    """One recorded call of a probe, merged from its record files."""

    id: str
    label: str
    how: str
    pid: int
    ppid: int
    parent_pid: int | None
    process_name: str
    thread_name: str
    args: list
    kwargs: dict
    called: float
    start: float
    end: float | None = None
    cpu: float | None = None  # CPU seconds the call's thread used
    error: dict | None = None
    rendezvous: dict | None = None
    output: list[tuple[float, str]] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.end is not None

    @property
    def text(self) -> str:
        """Everything this call printed, in order."""
        return "".join(text for _, text in self.output)

    @property
    def met(self) -> bool:
        return bool(self.rendezvous and self.rendezvous.get("met"))


def read_calls(record_dir: str | os.PathLike[str], label: str | None = None) -> list[Call]:
    """Every call recorded in ``record_dir`` (only ``label``'s when given), in the order they started."""
    folder = Path(record_dir)
    calls = []
    if not folder.is_dir():
        return calls
    for start_file in folder.glob("*.start.json"):
        data = json.loads(start_file.read_text(encoding="utf-8"))
        if label is not None and data["label"] != label:
            continue
        call = Call(**{k: data.get(k) for k in Call.__dataclass_fields__ if k in data and k != "output"})
        end_file = folder / f"{call.id}.end.json"
        if end_file.exists():
            outcome = json.loads(end_file.read_text(encoding="utf-8"))
            call.end = outcome["end"]
            call.cpu = outcome.get("cpu")
            call.error = outcome["error"]
        out_file = folder / f"{call.id}.out.jsonl"
        if out_file.exists():
            for line in out_file.read_text(encoding="utf-8").splitlines():
                try:
                    chunk = json.loads(line)
                except ValueError:  # a line cut short by a kill
                    continue
                call.output.append((chunk["t"], chunk["text"]))
        calls.append(call)
    calls.sort(key=lambda c: c.start)
    return calls


@dataclass
class StartedProcess:
    """A process started from the grading process, as the registry saw it."""

    process: multiprocessing.process.BaseProcess
    pid: int
    name: str
    daemon: bool
    started: float
    target: str = ""  # the qualified name of the function the process was made to run
    ended: float | None = None
    serial: int = 0

    @property
    def serves_a_manager(self) -> bool:
        """Whether this is a Manager's server process: it holds shared objects and does none of the work."""
        return self.target.startswith("multiprocessing.managers.")

    @property
    def alive(self) -> bool:
        try:
            return self.ended is None and self.process.is_alive()
        except ValueError:  # closed by the learner's code: close() refuses a process still running
            return False


def target_name(process: multiprocessing.process.BaseProcess) -> str:
    """The qualified name of the function ``process`` runs (``module.qualname``), or ``""``."""
    target = getattr(process, "_target", None)
    if target is None:
        return ""
    if isinstance(target, Probe):
        return f"{target.module}.{target.qualname}"
    module = getattr(target, "__module__", "") or ""
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


class PatchesForChild:
    """Probes that a process started from the grading process puts in place in itself, at its start.

    Under ``spawn`` and ``forkserver`` a child imports the learner's module afresh, unpatched, so a
    learner's helper target, a ``Process`` subclass's ``run()`` or a pool worker that calls a
    patched function would go unseen. The registry attaches one of these to each process it starts
    while patches are active; unpickling it in the child (before the process runs anything) sets
    the module attributes there too. Under ``fork`` the child's modules are already patched.
    """

    def __init__(self, patches: tuple[tuple[str, str, Probe], ...]) -> None:
        self.patches = patches

    def __reduce__(self) -> tuple:
        return (_apply_patches, (self.patches,))


def _apply_patches(patches: tuple[tuple[str, str, Probe], ...]) -> None:
    """Set each ``module.name`` to its probe (in a child that was pickled a :class:`PatchesForChild`)."""
    for module, name, probe in patches:
        imported = importlib.import_module(module)
        current = getattr(imported, name)
        if not isinstance(current, Probe):
            _originals.setdefault((module, name), current)
        setattr(imported, name, probe)


# What the grader replaced by probes, by (module, attribute): a probe that runs one of the grader's
# tasks in place of a learner's function can still call the learner's own. Filled by the grading
# process (a fork child inherits it) and by _apply_patches in spawn and forkserver children.
_originals: dict[tuple[str, str], Callable[..., Any]] = {}


def remember_original(module: str, name: str, original: Callable[..., Any] | None) -> None:
    """Note (or, with None, forget) what ``module.name`` held before the grader replaced it."""
    if original is None:
        _originals.pop((module, name), None)
    else:
        _originals[(module, name)] = original


def original_function(module: str, name: str) -> Callable[..., Any]:
    """``module.name`` as the learner wrote it, even where the grader has put a probe in its place."""
    found = _originals.get((module, name))
    if found is None:
        found = getattr(importlib.import_module(module), name)
    while isinstance(found, Probe):
        found = found.func
    return found


class TooManyProcesses(RuntimeError):
    """Raised into the learner's code when it starts more processes than one check may need."""


class ProcessRegistry:
    """Every process started from this (the grading) process, with its start and end time.

    Install once per grading process. End times come from a watcher thread blocked on the
    sentinels and from ``join()``; the earlier of the two is kept, since the watcher can wake
    after ``join()`` returned and the next process started.
    """

    def __init__(self, limit: int = 64) -> None:
        self.owner = os.getpid()
        self.limit = limit
        self.entries: list[StartedProcess] = []
        self._counter = itertools.count()
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._watcher: threading.Thread | None = None
        self._original_start = multiprocessing.process.BaseProcess.start
        self._original_join = multiprocessing.process.BaseProcess.join
        self.mark = 0  # entries before this index belong to earlier checks
        # (module, attribute, probe) to put in place in every process started while non-empty
        self.child_patches: list[tuple[str, str, Probe]] = []

    def install(self) -> "ProcessRegistry":
        registry = self
        original_start = self._original_start
        original_join = self._original_join

        def start(process: multiprocessing.process.BaseProcess) -> None:
            if os.getpid() != registry.owner:
                return original_start(process)
            if len(registry.entries) - registry.mark >= registry.limit:
                raise TooManyProcesses(f"more than {registry.limit} processes started")
            target = target_name(process)  # start() deletes the target once the child has it
            if registry.child_patches:
                process._grader_patches = PatchesForChild(tuple(registry.child_patches))  # type: ignore[attr-defined]
            began = time.monotonic()
            original_start(process)
            process.__dict__.pop("_grader_patches", None)  # the child has them; drop the probes here
            registry._add(process, began, target)

        def join(process: multiprocessing.process.BaseProcess, timeout: float | None = None) -> None:
            original_join(process, timeout)
            if os.getpid() == registry.owner and process.exitcode is not None:
                registry._ended(process, time.monotonic())

        multiprocessing.process.BaseProcess.start = start  # type: ignore[method-assign]
        multiprocessing.process.BaseProcess.join = join  # type: ignore[method-assign]
        return self

    def start_unrecorded(self, process: multiprocessing.process.BaseProcess) -> None:
        """Start one of the grader's own processes, which is not the learner's to account for."""
        self._original_start(process)

    def _add(self, process: multiprocessing.process.BaseProcess, began: float, target: str) -> None:
        entry = StartedProcess(process, process.pid, process.name, process.daemon, began,
                               target=target, serial=next(self._counter))
        with self._lock:
            self.entries.append(entry)
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="grader-process-watcher", daemon=True)
            self._watcher.start()
        os.write(self._wake_w, b"x")

    def _ended(self, process: multiprocessing.process.BaseProcess, when: float) -> None:
        with self._lock:
            for entry in self.entries:
                if entry.process is process and (entry.ended is None or when < entry.ended):
                    entry.ended = when

    def _watch(self) -> None:
        while True:
            with self._lock:
                waiting = {e.process.sentinel: e for e in self.entries if e.ended is None and _has_sentinel(e)}
            ready = multiprocessing.connection.wait([self._wake_r, *waiting])
            now = time.monotonic()
            for handle in ready:
                if handle == self._wake_r:
                    os.read(self._wake_r, 4096)
                else:
                    self._ended(waiting[handle].process, now)

    def since_mark(self) -> list[StartedProcess]:
        """The processes started since the last :meth:`set_mark`."""
        with self._lock:
            return list(self.entries[self.mark:])

    def set_mark(self) -> None:
        with self._lock:
            self.mark = len(self.entries)


def _has_sentinel(entry: StartedProcess) -> bool:
    try:
        entry.process.sentinel
    except ValueError:  # closed by the learner's code: Process.close()
        return False
    return True


def max_alive_at_once(entries: list[StartedProcess], until: float) -> int:
    """The largest number of ``entries`` that were alive at one moment (open ends count until ``until``)."""
    events = []
    for e in entries:
        events.append((e.started, 1))
        events.append((e.ended if e.ended is not None else until, -1))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    alive = most = 0
    for _, step in events:
        alive += step
        most = max(most, alive)
    return most
