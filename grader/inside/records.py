"""The records a probe leaves, and how the grading side reads them back.

A call of a probe writes three files into its record folder: ``<id>.start.json`` (who ran it, how,
with which arguments, when), ``<id>.out.jsonl`` (each write to stdout, time-stamped) and
``<id>.end.json`` (when it ended, the error it raised). Each is written as the call goes, so a
child killed mid-work leaves what it did so far. :func:`read_calls` merges them into :class:`Call`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def write_json_atomically(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` as JSON so that a reader sees the whole record or none."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


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
