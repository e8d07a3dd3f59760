"""Output capture: what a probed call prints goes, line by line and time-stamped, to its record.

Each write is one ``O_APPEND`` write of a whole JSON line, so nothing depends on how the learner's
stdout is buffered, and a process killed mid-work loses nothing it had printed. Only the thread
inside the probe is captured: other threads of the process print as before.
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # every child that runs a probe imports this module: pathlib is not needed to run one
    from pathlib import Path


class OutputLog(io.TextIOBase):
    """A stand-in for ``sys.stdout`` that appends each write, time-stamped, to a JSON-lines file.

    Each write is one ``O_APPEND`` write of a whole line, so nothing depends on how the learner's
    stdout is buffered, and a process killed mid-work loses nothing it had printed.
    """

    def __init__(self, path: str | Path) -> None:
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


class PerThreadStdout(io.TextIOBase):
    """Routes ``print`` of a thread that is inside a probe to that probe's log, others to the real stdout.

    Public so that a process can put a subclass in place before a probe runs, which the probe then
    keeps (the whole-program harness holds its worker after a line that way).
    """

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


stdout_lock = threading.Lock()


def capture_stdout_into(log: OutputLog) -> Callable[[], None]:
    """Send this thread's ``sys.stdout`` to ``log`` until the returned function is called."""
    with stdout_lock:
        if not isinstance(sys.stdout, PerThreadStdout):
            sys.stdout = PerThreadStdout(sys.stdout)
        router = sys.stdout
    previous = getattr(router.local, "log", None)
    router.local.log = log

    def restore() -> None:
        router.local.log = previous

    return restore
