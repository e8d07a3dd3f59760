"""The witness: what the operating system says about the processes that run the grader's probes.

The checker listens on a Unix socket in Linux's abstract namespace (no file for the learner's code
to find, remove or replace). A probe that runs in a process of the learner's
(:mod:`grader.inside.witnessed`) connects to it before it runs and sends what it claims (its
label, how it was called, the arguments it received); then it waits for the checker's ack.
Meanwhile the checker takes from the kernel who really connected (``SO_PEERCRED``: a pid no code
can forge) and reads that process's parent and start time, and its parent's parent, from
``/proc/<pid>/stat``: the process is alive while it waits for the ack, so its pid cannot have been
reused. The connection stays open until the process ends; its end of file, which the kernel
delivers when the process's descriptors are closed at exit, is when the checker saw it end.

Facts: the pid, its parent, its grandparent (a fork server's child has the server as parent),
that it was alive at ``seen``, and ``ended``; for a probe whose label the checker asked to measure
(:meth:`Witness.measuring`), how far its process's resident peak rose during the call
(``resident_growth``): the checker resets the peak (``/proc/<pid>/clear_refs``) before its ack, and
the probe waits, once it has sent its outcome, for the checker to read the peak (``VmHWM``) while the
process is still alive. Claims (whatever the probe sent, from a process that
runs the learner's code): label, how, arguments, process name, error. Where the kernel offers no
``SO_PEERCRED`` (macOS, Windows, ``MP_KIT_AS_WINDOWS=1``) there is no witness: :data:`AVAILABLE`
is false and the checker takes the host's report instead (:mod:`grader.grading.host_channel`).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from grader import host

AVAILABLE = sys.platform.startswith("linux") and hasattr(socket, "SO_PEERCRED") and not host.AS_WINDOWS

# How long the witness waits for a probe's claim once it has connected (a probe sends it at once).
CLAIM_PATIENCE = 2.0

# The longest line a probe may send (its claim, its outcome); anything longer is cut off.
MAX_LINE = 64 * 1024
_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid

# What :meth:`Witness.measuring` takes to measure the probes of every label (no function has this name).
EVERY_LABEL = "*"

# The acks: "go" lets a probe run; "go measured" also tells it to wait, after its outcome, for "read".
GO, GO_MEASURED, READ = b"go\n", b"go measured\n", b"read\n"


@dataclass
class Sighting:
    """One process that connected to the witness: the kernel's facts and the probe's claims."""

    pid: int
    parent: int
    grandparent: int
    parent_is_forkserver: bool  # the parent's command line is multiprocessing's fork server
    started_ticks: int  # /proc/<pid>/stat field 22: clock ticks after boot
    seen: float  # time.monotonic() when the checker had read the facts (the process was alive)
    claim: dict[str, Any] = field(default_factory=dict)
    outcome: dict[str, Any] | None = None
    # time.monotonic() when the checker had read the outcome (what was sent before a later call was seen is read
    # before that call's ``seen``: Witness._take_outcomes_sent)
    outcome_read: float | None = None
    ended: float | None = None  # time.monotonic() at the connection's end of file
    resident_before: int | None = None  # KiB resident when the checker reset the peak (measured probes only)
    resident_growth: int | None = None  # bytes the resident peak rose above that during the call
    over: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)  # set with ended
    _connection: socket.socket | None = field(default=None, repr=False, compare=False)
    _unread: bytearray = field(default_factory=bytearray, repr=False, compare=False)
    _outcome_read: bool = field(default=False, repr=False, compare=False)
    _reading: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def take_sent(self) -> None:
        """Read, without blocking, whatever the process has sent: its outcome line, then its end of file.

        Called by the witness's reading thread when the kernel says there is something to read, and by
        the checker before it reads the sighting; the lock makes one read at a time, so neither can
        take half of the outcome line and leave the other to judge without it.
        """
        with self._reading:
            while self._connection is not None and not self.over.is_set():
                try:
                    data = self._connection.recv(MAX_LINE, socket.MSG_DONTWAIT)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:
                    data = b""
                if not data:
                    self.ended = time.monotonic()
                    self.over.set()
                    return
                if not self._outcome_read:
                    self._unread += data
                    line, newline, _ = self._unread.partition(b"\n")
                    if newline or len(self._unread) >= MAX_LINE:
                        self.outcome = _parsed(bytes(line[:MAX_LINE]))
                        self.outcome_read = time.monotonic()
                        self._outcome_read = True
                        self._unread.clear()
                        self._read_peak()

    def _read_peak(self) -> None:
        """For a measured probe that has sent its outcome (and waits, alive, for this): its resident
        peak's rise during the call, read from the kernel; then let it end."""
        if self.resident_before is None or self._connection is None:
            return
        peak = _status_kib(self.pid, "VmHWM")
        if peak is not None:
            self.resident_growth = max(0, peak - self.resident_before) * 1024
        try:
            self._connection.sendall(READ)
        except OSError:
            pass


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time in ticks) of ``pid`` from ``/proc/<pid>/stat``, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[1]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _status_kib(pid: int, field: str) -> int | None:
    """A figure of ``/proc/<pid>/status`` in KiB (``VmRSS``, ``VmHWM``), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return None


def _reset_peak(pid: int) -> int | None:
    """Reset ``pid``'s resident peak to its resident size now (``clear_refs``: 5); that size in KiB, or
    None where the kernel does not let the checker do so."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return None
    return _status_kib(pid, "VmRSS")


def _is_forkserver(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"multiprocessing.forkserver" in cmdline.read()
    except OSError:
        return False


def _first_line(connection: socket.socket) -> bytes:
    """What the peer sent up to its first newline (at most MAX_LINE bytes; a claim is one short line, and a
    probe sends nothing more before its ack)."""
    data = bytearray()
    while len(data) < MAX_LINE:
        chunk = connection.recv(MAX_LINE - len(data))
        if not chunk:
            break
        data += chunk
        if b"\n" in chunk:
            break
    return bytes(data).partition(b"\n")[0]


def _parsed(line: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class Witness:
    """The checker's listening socket and what it saw; a daemon thread accepts, another reads every connection."""

    def __init__(self) -> None:
        self.address = "\0mp-kit-witness-" + os.urandom(12).hex()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.address)
        self._listener.listen(128)
        self._lock = threading.Lock()
        self._sightings: list[Sighting] = []
        self._running: dict[Any, list[Sighting]] = {}  # per token, the sightings whose outcome may still come
        self.costs: list[float] = []  # seconds from a connection's accept to its ack, per sighting
        self.measured_labels: frozenset[str] = frozenset()  # probes whose process's resident peak is read
        # Every open connection is read by one thread, not one each: a check may see hundreds of calls
        # (ex10 copies a tree of 250 files), and a thread each (its stack, its malloc arena) took the
        # checker past its address-space limit, after which no thread could be started and no call acked.
        self._followed: dict[int, tuple[socket.socket, Sighting]] = {}
        self._forkservers: dict[tuple[int, int], bool] = {}  # (pid, start ticks) -> whether it is the fork server
        self._events = select.epoll()
        threading.Thread(target=self._accept, name="grader-witness", daemon=True).start()
        threading.Thread(target=self._follow, name="grader-witness-calls", daemon=True).start()

    def sightings(self, token: str) -> list[Sighting]:
        """What was seen of the probes of one request (``token``), in the order they connected.

        Each is brought up to date first: what its process has sent, and its end of file if it has
        ended, are in the kernel's buffer by the time the host replies, and are read now rather than
        whenever this process's reading thread is next scheduled (on a busy machine, after the check
        had judged a call without its outcome as one that never ended).
        """
        with self._lock:
            seen = [s for s in self._sightings if s.claim.get("token") == token]
        for sighting in seen:
            sighting.take_sent()
        return seen

    @contextlib.contextmanager
    def measuring(self, label: str) -> Iterator[None]:
        """While inside, every probe of ``label`` (of any label: :data:`EVERY_LABEL`) that shows itself has its
        process's resident peak read during its call (``Sighting.resident_growth``)."""
        self.measured_labels = self.measured_labels | {label}
        try:
            yield
        finally:
            self.measured_labels = self.measured_labels - {label}

    def close(self) -> None:
        self._listener.close()
        self._events.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed
                return
            # The handshake here, in the accepting thread: the probe waits for its ack, and every thread
            # woken on the way costs it a scheduling delay on a busy machine. Only the long wait for the
            # outcome and the end goes to the reading thread.
            sighting = self._handshake(connection)
            if sighting is None:
                connection.close()
                continue
            with self._lock:
                self._followed[connection.fileno()] = (connection, sighting)
            try:
                self._events.register(connection.fileno(), select.EPOLLIN)
            except (OSError, ValueError):  # the witness is closing
                connection.close()
                return

    def _handshake(self, connection: socket.socket) -> Sighting | None:
        """Take the facts of the process that connected and ack it; None for what is not a probe."""
        began = time.monotonic()
        try:
            connection.settimeout(CLAIM_PATIENCE)
            pid = _CREDENTIALS.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                            _CREDENTIALS.size))[0]
            claim = _parsed(_first_line(connection))
            facts = _stat(pid)
            if claim is None or facts is None:
                return None  # not a probe, or gone before it could be seen: nothing is recorded of it
            parent, started = facts
            parent_facts = (_stat(parent) or (0, 0)) if parent > 0 else (0, 0)
            grandparent = parent_facts[0]
            # Blocking again before anyone else may read it: take_sent reads with MSG_DONTWAIT, which on a
            # socket with a timeout would first wait out that timeout and then raise as if it had ended.
            connection.settimeout(None)
            self._take_outcomes_sent(claim.get("token"))
            sighting = Sighting(pid, parent, grandparent, self._is_forkserver(parent, parent_facts[1]), started,
                                time.monotonic(), claim, _connection=connection)
            measured = self.measured_labels
            if EVERY_LABEL in measured or claim.get("label") in measured:
                # Reset here, while the probe waits for its ack: the peak read at its outcome is its call's.
                sighting.resident_before = _reset_peak(pid)
        except OSError:
            return None
        # Recorded before the ack: once acked, the probe runs, and its process may end and the host reply
        # before this thread is scheduled again; a call must never be missing from what the check reads.
        with self._lock:
            self._sightings.append(sighting)
            self._running.setdefault(claim.get("token"), []).append(sighting)
        try:
            connection.sendall(GO if sighting.resident_before is None else GO_MEASURED)
        except OSError:  # gone before the ack: its probe never ran what it guards
            with self._lock:
                self._sightings.remove(sighting)
                self._running[claim.get("token")].remove(sighting)
            return None
        self.costs.append(time.monotonic() - began)
        return sighting

    def _is_forkserver(self, parent: int, parent_started: int) -> bool:
        """Whether ``parent`` is multiprocessing's fork server, read once per process (its pid and start time:
        a pid reused by another process is another key)."""
        key = (parent, parent_started)
        known = self._forkservers.get(key)
        if known is None:
            known = self._forkservers[key] = _is_forkserver(parent)
        return known

    def _take_outcomes_sent(self, token: Any) -> None:
        """Read the outcome every call of ``token`` still running has sent by now, before a new call is stamped
        as seen: a call whose outcome is read only after that stamp had not sent it before (the kernel holds what
        was sent), so it was still running when the new one began (ex03 and ex11 corroborate a meeting so)."""
        with self._lock:
            running = self._running.get(token, [])
            running[:] = [s for s in running if s.outcome_read is None and not s.over.is_set()]
            running = list(running)
        for sighting in running:
            sighting.take_sent()

    def _follow(self) -> None:
        """Take each probe's outcome and its end of file (its process's end) as they come, for every open
        connection; close a connection once its end came.

        The end of file stays readable once it came (the events are level-triggered), so this thread wakes
        to close the connection even when the checker's :meth:`sightings` took it first."""
        while True:
            try:
                ready = self._events.poll()
            except InterruptedError:
                continue
            except (OSError, ValueError):  # closed
                return
            for fd, _ in ready:
                with self._lock:
                    followed = self._followed.get(fd)
                if followed is None:
                    continue
                connection, sighting = followed
                sighting.take_sent()
                if sighting.over.is_set():
                    with self._lock:
                        del self._followed[fd]
                    try:
                        self._events.unregister(fd)
                    except (OSError, ValueError):
                        pass
                    connection.close()
