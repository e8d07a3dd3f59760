"""The registry of the processes the learner's code starts from the grading process.

:class:`ProcessRegistry` wraps ``BaseProcess.start`` and ``join`` in the grading process (through
:func:`grader.inside.hooks.watch_starts_and_joins`): every ``Process``, ``Pool`` worker and executor
worker is started from there, so each start is seen, and a watcher thread waits on each sentinel
for the end.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import threading
import time
from dataclasses import dataclass

from grader.inside.hooks import watch_starts_and_joins
from grader.inside.probes import PatchesForChild, Probe
from grader.inside.records import STARTED, append_record


@dataclass
class StartedProcess:
    """A process started from the grading process, as the registry saw it."""

    process: multiprocessing.process.BaseProcess
    pid: int
    name: str
    daemon: bool
    started: float
    target: str = ""  # the qualified name of the function the process was made to run
    ended: float | None = None

    @property
    def serves_a_manager(self) -> bool:
        """Whether this is a Manager's server process: it holds shared objects and does none of the work."""
        return self.target.startswith("multiprocessing.managers.")

    @property
    def alive(self) -> bool:
        """Whether the process is still running: not seen to end, its sentinel not ready, not reaped.

        A process whose sentinel is ready has closed its files and is exiting: multiprocessing counts
        it as ended (``connection.wait`` on sentinels returns), though ``is_alive()`` may still say
        True for the moment before it becomes a zombie. One the learner's code closed has ended.
        """
        if self.ended is not None:
            return False
        try:
            if multiprocessing.connection.wait([self.process.sentinel], 0):
                return False
            return self.process.is_alive()
        except (ValueError, OSError):  # closed by the learner's code: close() refuses a process still running
            return False

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the process to end (one the learner's code closed has ended)."""
        try:
            self.process.join(timeout)
        except ValueError:
            pass


class TooManyProcesses(RuntimeError):
    """Raised into the learner's code when it starts more processes than one check may need."""


class ProcessRegistry:
    """Every process started from this (the grading) process, with its start and end time.

    Install once per grading process. End times come from a watcher thread blocked on the
    sentinels and from ``join()``; the earlier of the two is kept, since the watcher can wake
    after ``join()`` returned and the next process started.
    """

    def __init__(self, limit: int = 64) -> None:
        self.owner = os.getpid()
        self.limit = limit
        self.entries: list[StartedProcess] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._watcher: threading.Thread | None = None
        self._original_start = multiprocessing.process.BaseProcess.start
        self.mark = 0  # entries before this index belong to earlier checks
        # (module, attribute, probe) to put in place in every process started while non-empty
        self.child_patches: list[tuple[str, str, Probe]] = []

    def install(self) -> "ProcessRegistry":
        """Start watching every process started from this process."""
        self._original_start = watch_starts_and_joins(self._started, before_start=self._starting,
                                                      after_join=self._joined)
        return self

    def _starting(self, process: multiprocessing.process.BaseProcess) -> None:
        if len(self.entries) - self.mark >= self.limit:
            raise TooManyProcesses(f"more than {self.limit} processes started")
        if self.child_patches:
            process._grader_patches = PatchesForChild(tuple(self.child_patches))  # type: ignore[attr-defined]

    def _started(self, process: multiprocessing.process.BaseProcess, began: float, target: str) -> None:
        patches = process.__dict__.pop("_grader_patches", None)  # the child has them; drop the probes here
        self._add(process, began, target)
        method = getattr(process, "_start_method", None) or multiprocessing.get_start_method(allow_none=True) or "fork"
        if patches is not None and method != "fork":
            # A child that imports and unpickles before it can run a probe (a pool's spawned worker, say) is on
            # its way until it writes that it is ready (probes._apply_patches): a rendezvous waits for it.
            for folder in sorted({probe.record_dir for _module, _name, probe in patches.patches}):
                append_record(folder, STARTED, f"process-{process.pid}", {"pid": process.pid})

    def _joined(self, process: multiprocessing.process.BaseProcess, timeout: float | None) -> None:
        if process.exitcode is not None:
            self._ended(process, time.monotonic())

    def start_unrecorded(self, process: multiprocessing.process.BaseProcess) -> None:
        """Start one of the grader's own processes, which is not the learner's to account for."""
        self._original_start(process)

    def _add(self, process: multiprocessing.process.BaseProcess, began: float, target: str) -> None:
        entry = StartedProcess(process, process.pid, process.name, process.daemon, began, target=target)
        with self._lock:
            self.entries.append(entry)
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="grader-process-watcher", daemon=True)
            self._watcher.start()
        os.write(self._wake_w, b"x")

    def _ended(self, process: multiprocessing.process.BaseProcess, when: float) -> None:
        with self._lock:
            for entry in self.entries:
                if entry.process is process and (entry.ended is None or when < entry.ended):
                    entry.ended = when

    def _watch(self) -> None:
        while True:
            with self._lock:
                waiting = {e.process.sentinel: e for e in self.entries if e.ended is None and has_sentinel(e)}
            ready = multiprocessing.connection.wait([self._wake_r, *waiting])
            now = time.monotonic()
            for handle in ready:
                if handle == self._wake_r:
                    os.read(self._wake_r, 4096)
                else:
                    self._ended(waiting[handle].process, now)

    def since_mark(self) -> list[StartedProcess]:
        """The processes started since the last :meth:`set_mark`."""
        with self._lock:
            return list(self.entries[self.mark:])

    def set_mark(self) -> None:
        with self._lock:
            self.mark = len(self.entries)


def has_sentinel(entry: StartedProcess) -> bool:
    try:
        _ = entry.process.sentinel
    except ValueError:  # closed by the learner's code: Process.close()
        return False
    return True


def max_alive_at_once(entries: list[StartedProcess], until: float) -> int:
    """The largest number of ``entries`` that were alive at one moment (open ends count until ``until``)."""
    events = []
    for e in entries:
        events.append((e.started, 1))
        events.append((e.ended if e.ended is not None else until, -1))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    alive = most = 0
    for _, step in events:
        alive += step
        most = max(most, alive)
    return most
