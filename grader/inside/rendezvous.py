"""A rendezvous: proof that processes were alive at the same time, whatever the machine's load."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Rendezvous:
    """Parties that announce themselves and wait, up to ``patience`` seconds, for all the others.

    Meeting proves that the parties were alive at the same time whatever the machine's load: a
    party that arrives after another gave up does not wait at all. A party whose probes keep their
    records in ``records`` also waits, up to ``booting`` seconds more, while a sibling process is still
    on its way there (started, for spawn or forkserver, and not yet up: :mod:`grader.inside.records`'
    ``started`` and ``ready`` lines): the grading's own start cost, from which ``patience`` is derived,
    says nothing of a learner's pool that spawns where the grading forks, on a loaded machine.
    """

    folder: str
    parties: int
    patience: float
    booting: float = 0.0

    def meet(self, who: str, records: str | None = None) -> dict:
        """Announce ``who``; return whether every party met and how long this one waited."""
        folder = Path(self.folder)
        folder.mkdir(parents=True, exist_ok=True)
        me = folder / f"{who}-{os.getpid()}-{os.urandom(3).hex()}"
        me.write_text("")
        arrived = time.monotonic()
        deadline = arrived + self.patience
        latest = deadline + self.booting
        next_look = deadline
        met = False
        while True:
            names = os.listdir(folder)
            gone = {n[: -len(".left")] for n in names if n.endswith(".left")}
            present = [n for n in names if not n.endswith(".left") and n not in gone]
            if len(present) >= self.parties:
                met = True
                break
            if gone:
                break
            now = time.monotonic()
            if now >= deadline:
                # Past the patience: wait on only while a sibling is still starting (looked at now and then).
                if records is None or now >= latest:
                    break
                if now >= next_look:
                    if not _on_its_way(records, self.patience):
                        break
                    next_look = now + 0.02
            # The partner is another process that may be anywhere in its start-up; there is no
            # handle to block on across pools and start methods, so look again shortly.
            time.sleep(0.002)
        if not met:
            (folder / (me.name + ".left")).write_text("")
        return {"met": met, "waited": time.monotonic() - arrived}


def _on_its_way(records: str, patience: float) -> bool:
    """Whether a sibling may still come: a process started to run these probes that is alive and not yet up,
    or one that came up less than ``patience`` seconds ago (see :class:`Rendezvous`)."""
    from grader.inside.call_records import record_lines
    from grader.inside.records import READY, STARTED

    lines = record_lines(records)
    ready = {line.get("pid"): line.get("t") for line in lines if line.get("kind") == READY}
    started = {line.get("pid") for line in lines if line.get("kind") == STARTED}
    if any(process_exists(pid) for pid in started if pid not in ready):  # unknown (Windows): not waited for
        return True
    times = [t for pid, t in ready.items() if pid in started and isinstance(t, (int, float))]
    return bool(times) and time.monotonic() < max(times) + patience


def process_exists(pid: object) -> bool | None:
    """Whether ``pid`` names a process that has not been reaped; None where that cannot be asked safely (on
    Windows ``os.kill(pid, 0)`` would send CTRL_C_EVENT), for the caller to decide."""
    if os.name == "nt":
        return None
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
