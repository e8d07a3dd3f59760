"""The records a probe leaves, and how the grading side reads them back.

A call of a probe appends lines to its process's record file in the record folder
(``<pid>.calls.jsonl``): a ``start`` line (who ran it, how, with which arguments, when), an ``out``
line for each write to stdout (time-stamped) and an ``end`` line (when it ended, the error it
raised), each tagged with the call's id. Each line is one ``O_APPEND`` write as the call goes, so a
child killed mid-work leaves what it did so far; a file per process rather than per call because
creating a file is what a call cost most (on Windows, and on ext4 after many deletions).
:func:`read_calls` merges the lines of every file into :class:`Call`.

Every child that runs a probe imports this module, so it holds the writing half only; the reading
half (:class:`Call`, :func:`read_calls`, in :mod:`grader.inside.call_records`) is loaded where it is
first named, on the grading side: a child never pays for ``dataclasses`` and ``pathlib`` (~15 ms each
start under spawn).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.inside.call_records import Call, read_calls  # noqa: F401 - named here, loaded by __getattr__

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


# The record files of a folder: one per process that made a probed call there.
CALLS_SUFFIX = ".calls.jsonl"
START, OUT, END = "start", "out", "end"  # the kinds of line of a call
# And of a process a probe may run in: started (written by its parent, for a child that must first import
# and unpickle the probes: spawn, forkserver) and ready (written by the child, the probes in place).
STARTED, READY = "started", "ready"

_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

# This process's record file per folder: (pid that opened it, descriptor, (device, inode) of the file).
_record_files: dict[str, tuple[int, int, tuple[int, int]]] = {}


def append_record(folder: str, kind: str, call_id: str, data: dict) -> None:
    """Append one line about call ``call_id`` to this process's record file in ``folder`` (created, with the
    folder, on first use): one write of a whole line, so that a reader sees every line whole or not at all
    but the last one of a process killed while writing it."""
    line = (json.dumps({"kind": kind, "id": call_id, **data}, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        os.write(_record_file(folder), line)
    except OSError:  # the learner's code closed the descriptor between the check and the write: once more
        _record_files.pop(folder, None)
        os.write(_record_file(folder), line)


def _record_file(folder: str) -> int:
    """The descriptor of this process's record file in ``folder``: the one opened before, unless it was opened
    by the process this one was forked from, or the learner's code closed it (its number may now name another
    file, never written to by the grader)."""
    known = _record_files.get(folder)
    if known is not None and known[0] == os.getpid():
        try:
            now = os.fstat(known[1])
            if (now.st_dev, now.st_ino) == known[2]:
                return known[1]
        except OSError:
            pass
    os.makedirs(folder, exist_ok=True)
    fd = os.open(os.path.join(folder, f"{os.getpid()}{CALLS_SUFFIX}"), _OPEN_FLAGS, 0o644)
    opened = os.fstat(fd)
    _record_files[folder] = (os.getpid(), fd, (opened.st_dev, opened.st_ino))
    return fd


def write_json_atomically(path: str | os.PathLike[str], data: dict) -> None:
    """Write ``data`` to ``path`` as JSON so that a reader sees the whole record or none."""
    tmp = f"{os.fspath(path)}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as file:
        file.write(json.dumps(data, ensure_ascii=False))
    os.replace(tmp, path)


def __getattr__(name: str) -> Any:
    """``records.Call`` and ``records.read_calls``: the reading half, imported on first use (see the docstring)."""
    if name in ("Call", "read_calls"):
        from grader.inside import call_records

        return getattr(call_records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parameters_of(func: Any) -> list[dict[str, Any]] | None:
    """``func``'s parameters as data (name, kind, whether it has a default): the checker binds a call's
    recorded arguments to them without the learner's module. None if it has no signature."""
    import inspect  # here: a probe's child never needs it

    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [{"name": p.name, "kind": p.kind.name, "default": p.default is not p.empty}
            for p in signature.parameters.values()]
