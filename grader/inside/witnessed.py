"""A probe that shows itself to the checker's witness before it runs (the child's half of
:mod:`grader.grading.witness`).

:class:`WitnessedProbe` records every call as :class:`~grader.inside.probes.Probe` does (files the
learner host reads, the fallback where there is no witness) and, given the witness's address,
first connects to it, sends its claim and waits for the ack: the checker reads the facts of this
process from the kernel meanwhile. The connection is kept open until the process ends, so the
checker sees that end too. A probe the checker measures (its ack says so) waits, once it has sent
its outcome, until the checker has read its process's resident peak. Pickles by name like any probe, with the address and the request's token.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import threading
import time
from typing import Any, Callable

from grader.inside.probes import Probe, _how_called, _rebuild_probe
from grader.inside.records import jsonable

# How long a probe waits for the checker's ack: a checker that is gone must not hold the learner's child.
ACK_PATIENCE = 10.0

# Connections kept open until this process ends (the checker reads their end as the process's end).
_open_connections: list[socket.socket] = []

# A probe that shows only some of its calls (``shown_every`` above 1) shows a process's first calls of a request,
# then every ``shown_every``-th: token -> (this process's pid, the calls of that request made here so far).
ALWAYS_SHOWN = 4
_calls_here: dict[str, tuple[int, int]] = {}


class WitnessedProbe(Probe):
    """A :class:`Probe` that first shows itself to the witness at ``address`` (None: no witness)."""

    def __init__(self, func: Callable[..., Any], record_dir: str | os.PathLike[str], label: str | None = None,
                 bound: dict | None = None, grader_pid: int | None = None, address: str | None = None,
                 token: str = "", rendezvous: Any = None, shown_every: int = 1) -> None:
        super().__init__(func, record_dir, label, bound, rendezvous, grader_pid)
        self.address = address
        self.token = token
        self.shown_every = shown_every

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.module, self.qualname, self.record_dir, self.label, self.bound, self.grader_pid,
                           self.address, self.token, self.rendezvous, self.shown_every))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        shown = bool(self.address) and _is_shown(self.token, self.shown_every)
        connection, measured = _show_itself(self.address, self._claim(args, kwargs)) if shown else (None, False)
        outcome: dict[str, Any] = {"error": None}
        try:
            return super().__call__(*args, **kwargs)
        except BaseException as exc:
            outcome["error"] = {"type": type(exc).__name__, "message": str(exc)[:500]}
            raise
        finally:
            if connection is not None:
                outcome["end"] = time.monotonic()
                try:
                    connection.sendall((json.dumps(outcome) + "\n").encode("utf-8"))
                    if measured:
                        connection.recv(16)  # the checker has read the peak while this process was alive
                except OSError:
                    pass

    def _claim(self, args: tuple, kwargs: dict) -> dict[str, Any]:
        parent = multiprocessing.parent_process()
        return {
            "token": self.token, "label": self.label, "how": _how_called(), "pid": os.getpid(),
            "parent_pid": parent.pid if parent is not None else None,
            "process_name": multiprocessing.current_process().name,
            "thread_name": threading.current_thread().name,
            "args": jsonable(list(args)), "kwargs": jsonable(kwargs),
        }


def _is_shown(token: str, every: int) -> bool:
    """Whether this call shows itself to the witness: every call where ``every`` is 1; else the first
    :data:`ALWAYS_SHOWN` calls of the request in this process, then every ``every``-th (counted, never timed:
    which calls show depends on the calls alone). A process seen at two moments was alive between them, so a
    long-lived worker still shows its life, through a fraction of the handshakes."""
    pid = os.getpid()
    owner, made = _calls_here.get(token, (pid, 0))
    made = made if owner == pid else 0  # a forked child counts its own calls
    _calls_here[token] = (pid, made + 1)
    return every <= 1 or made < ALWAYS_SHOWN or made % every == 0


def _show_itself(address: str, claim: dict[str, Any]) -> tuple[socket.socket | None, bool]:
    """Connect to the witness, send ``claim``, wait for the ack; the open connection (None if it failed),
    and whether the checker measures this call (it then reads the peak after the outcome)."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(ACK_PATIENCE)
        connection.connect(address)
        connection.sendall((json.dumps(claim, ensure_ascii=False) + "\n").encode("utf-8"))
        ack = connection.recv(16)
    except OSError:
        connection.close()
        return None, False
    _open_connections.append(connection)
    return connection, ack.startswith(b"go measured")


def _rebuild(module: str, qualname: str, record_dir: str, label: str, bound: dict, grader_pid: int,
             address: str | None, token: str, rendezvous: Any = None, shown_every: int = 1) -> WitnessedProbe:
    """Rebuild a witnessed probe in another process by importing its function by name."""
    plain = _rebuild_probe(module, qualname, record_dir, label, bound, None, grader_pid)
    return WitnessedProbe(plain.func, record_dir, label, bound, grader_pid, address, token, rendezvous, shown_every)
