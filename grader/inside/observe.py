"""See what the learner's processes really did: the instruments, as the checks import them.

Each lives in a module of its own; this one gathers their names for the checks:

* :mod:`grader.inside.probes`: :class:`Probe`, a stand-in for a function that records every call
  (in whatever process it runs, under ``fork``, ``spawn`` and ``forkserver``), and the patches a
  child puts in place in itself;
* :mod:`grader.inside.records`: the records a call leaves (:class:`Call`, :func:`read_calls`);
* :mod:`grader.inside.capture`: what a call prints, line by line, time-stamped;
* :mod:`grader.inside.rendezvous`: :class:`Rendezvous`, proof that processes were alive at once;
* :mod:`grader.inside.registry`: :class:`ProcessRegistry`, every process started from the grading process.
"""

from __future__ import annotations

from grader.inside.probes import Probe, original_function, remember_original, target_name
from grader.inside.records import DIRECT_CALL, IN_NEW_PROCESS, IN_THREAD, VIA_RUN, Call, jsonable, read_calls
from grader.inside.registry import (
    ProcessRegistry,
    StartedProcess,
    TooManyProcesses,
    has_sentinel,
    max_alive_at_once,
)
from grader.inside.rendezvous import Rendezvous

__all__ = [
    "DIRECT_CALL", "IN_NEW_PROCESS", "IN_THREAD", "VIA_RUN", "Call", "ProcessRegistry", "Probe", "Rendezvous",
    "StartedProcess", "TooManyProcesses", "has_sentinel", "jsonable", "max_alive_at_once", "original_function",
    "read_calls", "remember_original", "target_name",
]
