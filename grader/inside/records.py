"""The records a probe leaves, and how the grading side reads them back.

A call of a probe writes three files into its record folder: ``<id>.start.json`` (who ran it, how,
with which arguments, when), ``<id>.out.jsonl`` (each write to stdout, time-stamped) and
``<id>.end.json`` (when it ended, the error it raised). Each is written as the call goes, so a
child killed mid-work leaves what it did so far. :func:`read_calls` merges them into :class:`Call`.

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
