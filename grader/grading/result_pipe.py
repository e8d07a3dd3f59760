"""The results of a hosted exercise travel from the checker to the runner through a pipe only the checker holds.

A results file in the scratch folder can be written by whoever finds it; the learner host, a
process of the same user, would find it and, having written its lines, kill the checker before
it writes its own. The write end of this pipe is inherited by the checker alone: the host closes
its copy at once when it is forked (and a host started as a fresh interpreter never gets one), so
every line on the pipe is the checker's. A thread in the runner drains it while the worker runs
(a pipe's buffer is small), until every write end is closed.
"""

from __future__ import annotations

import os
import threading


class ResultsPipe:
    """The runner's pipe for one exercise's result lines."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._drain, name="grader-results", daemon=True)

    def handed_over(self) -> None:
        """In the runner, once the worker has its copy of the write end: close ours, start draining.

        The thread starts only now, so that the runner forks its worker with one thread.
        """
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1
        if not self._reader.is_alive() and self._reader.ident is None:
            self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.read_fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self._chunks.append(chunk)

    def lines_so_far(self) -> int:
        """How many whole result lines have arrived so far (the runner's clock of each check reads it)."""
        return sum(chunk.count(b"\n") for chunk in list(self._chunks))

    def text(self, timeout: float = 5.0) -> str:
        """Everything the checker wrote, once every write end is closed (the worker and its tree are gone)."""
        self.handed_over()
        self._reader.join(timeout)
        if not self._reader.is_alive():
            os.close(self.read_fd)
        return b"".join(self._chunks).decode("utf-8", errors="replace")


def write_line(fd: int, line: str) -> None:
    """Write one whole result line to the pipe (a pipe may take a long line in parts)."""
    data = line.encode("utf-8")
    while data:
        data = data[os.write(fd, data):]
