"""The whole-program harness's two gates: the worker is held where the program's next move decides the verdict.

Both hold the worker (the process running the learner's ``work``), never the program:

1. **Before its work**, until the learner's function has returned: a :class:`Rendezvous` with the
   program's main module, which arrives only once the call returned. A function that waits for
   the worker (``join()``, a loop on ``is_alive()``) cannot see it end, however fast the machine.
2. **Before its last line**, until the program's main process joins a process without a
   timeout (the interpreter's own join at exit, or the learner's) or is gone. A program that
   stops the worker at its end (a daemon, ``terminate()`` at exit) stops it here at the latest,
   with a line still to print, however short the work; a program that waits for it lets it
   finish; one that leaves without waiting (``os._exit``) leaves it held. The worker does the rest
   of its work meanwhile, so a correct program, whose main process reaches its join while the
   worker is still at work, loses nothing to this gate. The second hold is armed only when the
   first one met: a worker whose call never returned is already a finding, and holding it longer
   only costs time.

The main process opens the second gate after it has sent any stop signal of its exit: the
interpreter terminates its daemons *before* it joins them, and a signal is pending by the time
``kill()`` returns, so a stopped daemon never gets past the gate. Files, not pipes: like every
gate of the kit, they work the same under fork, spawn and forkserver.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.inside import capture
from grader.inside.records import write_json_atomically
from grader.inside.rendezvous import Rendezvous, process_exists

MAIN_PARTY = "main"
JOINED, MAIN_GONE, LIMIT = "joined", "main_gone", "limit"  # why a held worker went on


@dataclass(frozen=True)
class ProgramGates:
    """The gates of one program run, in ``folder``; ``main_pid`` is the program's main process."""

    folder: str
    word: str  # the worker's line
    lines: int  # how many it prints: the second gate is in front of the last one
    patience: float  # the longest the worker waits at each gate
    main_pid: int

    @property
    def rendezvous(self) -> Rendezvous:
        """Where the worker meets the program's main module once the learner's call returned."""
        return Rendezvous(str(Path(self.folder) / "rendezvous"), 2, self.patience)

    @property
    def _opened(self) -> Path:
        return Path(self.folder) / "go-on.json"

    @property
    def _holds(self) -> Path:
        return Path(self.folder) / "held"

    # -- the worker's side (called by the probe before the learner's work) ---------------------

    def meet(self, who: str, records: str | None = None) -> dict:
        """Wait at the first gate; when the call returned meanwhile, hold the worker before its last line.
        (``records``, where a probe's rendezvous looks for siblings still starting, has no use here: the
        worker is the program's only child that the gate waits for.)"""
        outcome = self.rendezvous.meet(who)
        if outcome["met"]:
            with capture.stdout_lock:
                sys.stdout = _HoldBeforeLastLine(sys.stdout, self)
        return outcome

    def hold(self) -> None:
        """Wait at the second gate until the main process joins, is gone, or ``patience`` passed.

        A main process that waits for the worker at its end by other means than a join without a
        timeout (a loop of timed joins, of is_alive()) sees it go on after ``patience``: a
        program that waits that long for its worker is waiting for it.
        """
        record = {"pid": os.getpid(), "arrived": time.monotonic()}
        path = self._holds / f"{os.getpid()}.json"
        self._holds.mkdir(parents=True, exist_ok=True)
        write_json_atomically(path, record)
        why = None
        while why is None:
            if self._opened.exists():
                why = JOINED
            elif process_exists(self.main_pid) is False:  # unknown (Windows): taken as alive
                why = JOINED if self._opened.exists() else MAIN_GONE
            elif time.monotonic() - record["arrived"] >= self.patience:
                why = LIMIT
            else:
                # The main process is another process, and the waits of its exit leave no handle
                # to block on; a stat every millisecond costs nothing next to a line of work.
                time.sleep(0.001)
        write_json_atomically(path, {**record, "released": time.monotonic(), "why": why})

    # -- the main process's side -------------------------------------------------------------

    def leave_rendezvous(self) -> None:
        """Mark the main party as gone from the first gate, so that no worker waits there for it."""
        folder = Path(self.rendezvous.folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{MAIN_PARTY}-{os.getpid()}-joined.left").write_text("")

    def let_go(self, pid: int | None) -> None:
        """Open the second gate: the main process is about to block until process ``pid`` ends."""
        if not self._opened.exists():
            write_json_atomically(self._opened, {"at": time.monotonic(), "pid": pid})

    # -- the check's side --------------------------------------------------------------------

    def holds(self) -> list[dict[str, Any]]:
        """Every hold at the second gate: pid, arrived, and (unless it was killed there) released and why."""
        found = []
        for path in sorted(self._holds.glob("*.json")) if self._holds.is_dir() else []:
            try:
                found.append(json.loads(path.read_text(encoding="utf-8")))
            except ValueError:  # the worker was killed while it wrote
                continue
        return found


class _HoldBeforeLastLine(capture.PerThreadStdout):
    """The worker's stdout: records as the probe's does, but holds the worker before the write that ends its last line."""

    def __init__(self, real: Any, gates: ProgramGates) -> None:
        super().__init__(real)
        self.gates = gates
        self.seen = ""  # what the probed call wrote so far (a few lines)
        self.held = False

    def write(self, text: str) -> int:
        if not self.held and getattr(self.local, "log", None) is not None:
            # Counted over everything written, so a line cut into several writes counts once.
            if (self.seen + text).count(self.gates.word) >= max(2, self.gates.lines):
                self.held = True
                self.gates.hold()
            self.seen += text
        return super().write(text)
