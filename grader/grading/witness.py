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
that it was alive at ``seen``, and ``ended``. Claims (whatever the probe sent, from a process that
runs the learner's code): label, how, arguments, process name, error. Where the kernel offers no
``SO_PEERCRED`` (macOS, Windows, ``MP_KIT_AS_WINDOWS=1``) there is no witness: :data:`AVAILABLE`
is false and the checker takes the host's report instead (:mod:`grader.grading.host_channel`).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from grader import host

AVAILABLE = sys.platform.startswith("linux") and hasattr(socket, "SO_PEERCRED") and not host.AS_WINDOWS

# How long the witness waits for a probe's claim once it has connected (a probe sends it at once).
CLAIM_PATIENCE = 2.0

# The longest line a probe may send (its claim, its outcome); anything longer is cut off.
MAX_LINE = 64 * 1024
_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid


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
    ended: float | None = None  # time.monotonic() at the connection's end of file
    over: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)  # set with ended


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time in ticks) of ``pid`` from ``/proc/<pid>/stat``, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[1]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _is_forkserver(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"multiprocessing.forkserver" in cmdline.read()
    except OSError:
        return False


def _json_line(reader: Any) -> dict[str, Any] | None:
    line = reader.readline(MAX_LINE)
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class Witness:
    """The checker's listening socket and what it saw; a daemon thread accepts, one per connection reads."""

    def __init__(self) -> None:
        self.address = "\0mp-kit-witness-" + os.urandom(12).hex()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.address)
        self._listener.listen(128)
        self._lock = threading.Lock()
        self._sightings: list[Sighting] = []
        self.costs: list[float] = []  # seconds from a connection's accept to its ack, per sighting
        threading.Thread(target=self._accept, name="grader-witness", daemon=True).start()

    def sightings(self, token: str) -> list[Sighting]:
        """What was seen of the probes of one request (``token``), in the order they connected."""
        with self._lock:
            return [s for s in self._sightings if s.claim.get("token") == token]

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed
                return
            # The handshake here, in the accepting thread: the probe waits for its ack, and every thread
            # woken on the way costs it a scheduling delay on a busy machine. Only the long wait for the
            # outcome and the end goes to a thread of its own.
            sighting = self._handshake(connection)
            if sighting is None:
                connection.close()
                continue
            threading.Thread(target=self._follow, args=(connection, sighting), name="grader-witness-call",
                             daemon=True).start()

    def _handshake(self, connection: socket.socket) -> Sighting | None:
        """Take the facts of the process that connected and ack it; None for what is not a probe."""
        began = time.monotonic()
        try:
            connection.settimeout(CLAIM_PATIENCE)
            pid = _CREDENTIALS.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                            _CREDENTIALS.size))[0]
            claim = _json_line(connection.makefile("rb"))
            facts = _stat(pid)
            if claim is None or facts is None:
                return None  # not a probe, or gone before it could be seen: nothing is recorded of it
            parent, started = facts
            grandparent = (_stat(parent) or (0, 0))[0] if parent > 0 else 0
            sighting = Sighting(pid, parent, grandparent, _is_forkserver(parent), started, time.monotonic(), claim)
            connection.sendall(b"go\n")
        except OSError:
            return None
        with self._lock:
            self._sightings.append(sighting)
        self.costs.append(time.monotonic() - began)
        return sighting

    def _follow(self, connection: socket.socket, sighting: Sighting) -> None:
        """Read the probe's outcome, then wait for the end of file: the process's end."""
        with connection:
            try:
                connection.settimeout(None)
                reader = connection.makefile("rb")
                sighting.outcome = _json_line(reader)
                while reader.read(4096):
                    pass
            except OSError:
                pass
            sighting.ended = time.monotonic()
            sighting.over.set()
