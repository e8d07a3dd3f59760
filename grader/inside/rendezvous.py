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
