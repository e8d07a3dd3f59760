"""The grading side's reading of a probe's records (:mod:`grader.inside.records` writes them): one :class:`Call`
per call, merged from its lines in the record files of a folder. Kept apart so that the children that write records never import it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from grader.inside.records import CALLS_SUFFIX, END, OUT, START


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


def record_lines(record_dir: str | os.PathLike[str]) -> list[dict]:
    """Every whole line of every record file in ``record_dir``, file by file, each in the order written (a line
    cut short by a kill, or anything that is not a record, left out)."""
    lines: list[dict] = []
    folder = Path(record_dir)
    if not folder.is_dir():
        return lines
    for path in sorted(folder.glob(f"*{CALLS_SUFFIX}")):
        try:
            text = path.read_bytes()
        except OSError:
            continue
        for raw in text.split(b"\n"):
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, dict) and isinstance(line.get("id"), str):
                lines.append(line)
    return lines


def read_calls(record_dir: str | os.PathLike[str], label: str | None = None) -> list[Call]:
    """Every call recorded in ``record_dir`` (only ``label``'s when given), in the order they started."""
    lines = record_lines(record_dir)
    calls: dict[str, Call] = {}
    for line in lines:
        if line.get("kind") == START and line["id"] not in calls and (label is None or line.get("label") == label) \
                and isinstance(line.get("start"), (int, float)):
            try:
                calls[line["id"]] = Call(**{k: line[k] for k in Call.__dataclass_fields__ if k in line and k != "output"})
            except TypeError:  # not a start line the probe wrote
                continue
    for line in lines:
        call = calls.get(line["id"])
        if call is None:
            continue
        if line.get("kind") == END and call.end is None:
            call.end = line.get("end")
            call.cpu = line.get("cpu")
            call.error = line.get("error")
        elif line.get("kind") == OUT:
            call.output.append((line.get("t", 0.0), line.get("text", "")))
    for call in calls.values():
        call.output.sort(key=lambda chunk: chunk[0])  # a child forked inside the call prints into its own file
    return sorted(calls.values(), key=lambda c: c.start)
