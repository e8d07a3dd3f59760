"""The grading side's reading of a probe's records (:mod:`grader.inside.records` writes them): one :class:`Call`
per call, merged from its three files. Kept apart so that the children that write records never import it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path


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
