"""Output capture: what a probed call prints goes, line by line and time-stamped, to its record.

Each write is one ``O_APPEND`` write of a whole JSON line, so nothing depends on how the learner's
stdout is buffered, and a process killed mid-work loses nothing it had printed. Only the thread
inside the probe is captured: other threads of the process print as before.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from typing import Any, Callable

from grader.inside.records import OUT, append_record


class OutputLog(io.TextIOBase):
    """A stand-in for ``sys.stdout`` that records each write, time-stamped, as an ``out`` line of call
    ``call_id`` in the record folder ``folder`` (:func:`grader.inside.records.append_record`).

    Each write is one ``O_APPEND`` write of a whole line, so nothing depends on how the learner's
    stdout is buffered, and a process killed mid-work loses nothing it had printed.
    """

    def __init__(self, folder: str, call_id: str) -> None:
        self._folder = folder
        self._call_id = call_id

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            append_record(self._folder, OUT, self._call_id, {"t": time.monotonic(), "text": text})
        return len(text)


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
