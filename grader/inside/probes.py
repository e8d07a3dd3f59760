"""Probes: stand-ins for functions that record every call, in whatever process it runs.

:class:`Probe` stands in for a function (the learner's or one of the grader's tasks). Every call
writes its own records (:mod:`grader.inside.records`): who ran it (pid, parent, process and thread
name, and *how*: in a new process, through ``run()``, in a thread or called directly), the
arguments, start and end on ``time.monotonic()`` (system-wide on Linux), and everything it printed
(:mod:`grader.inside.capture`). A probe pickles by *name* (its ``__reduce__``), so ``spawn`` and
``forkserver`` children rebuild it by importing the module, and pool tasks carry it too; a child
puts the grader's patches in place in itself through :class:`PatchesForChild`.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.process
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from grader.inside.capture import OutputLog, capture_stdout_into
from grader.inside.records import (
    DIRECT_CALL,
    END,
    IN_NEW_PROCESS,
    IN_THREAD,
    READY,
    START,
    VIA_RUN,
    append_record,
    jsonable,
)

# Every child that runs a probe imports this module: what a probe needs only to be typed is imported for the
# type checker (a rendezvous, when a probe has one, arrives pickled and imports its own module).
if TYPE_CHECKING:
    from grader.inside.rendezvous import Rendezvous


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
        folder = self.record_dir
        parent = multiprocessing.parent_process()
        record = {
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
            record["rendezvous"] = self.rendezvous.meet(self.label, records=folder)
        record["start"] = time.monotonic()
        cpu_began = time.thread_time()
        append_record(folder, START, call_id, record)
        log = OutputLog(folder, call_id)
        restore = capture_stdout_into(log)
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
            append_record(folder, END, call_id, outcome)


def _rebuild_probe(module: str, qualname: str, record_dir: str, label: str, bound: dict,
                   rendezvous: Rendezvous | None, grader_pid: int) -> Probe:
    """Rebuild a probe in another process by importing its function by name."""
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    # Under fork the module is the grading process's copy, patched with the probe itself.
    return Probe(target, record_dir, label, bound, rendezvous, grader_pid)


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
    # This child is up: a rendezvous one of its siblings waits at stops counting it as on its way.
    pid = os.getpid()
    for folder in sorted({probe.record_dir for _module, _name, probe in patches}):
        append_record(folder, READY, f"process-{pid}", {"pid": pid, "t": time.monotonic()})


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
