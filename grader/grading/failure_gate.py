"""A gate that holds a pool's other copies until its caller has seen one task fail and still waits.

The learner's function runs in the grading process's main thread and hands its copies to a pool
or an executor; every copy but the one made to fail waits at a :class:`~grader.inside.gates.Gate`
in the worker that runs it. The failing task (and the rest of its chunk) goes straight on. A
thread here opens the gate for everyone once the failure has been delivered to the grading
process (a pool's or an executor's result was set) and the caller is then seen *blocked waiting*
for more: in one of the standard library's waits, on a result that is not there yet, and not inside
``Pool.terminate()``. So the verdict does not depend on the schedule:

* a caller that leaves its pool on the first failure terminates it while the other copies are still
  held: they are never copied, however fast the machine;
* a caller that goes on waiting (for the next result, in ``join()``, in an executor's shutdown)
  lets them through, and they are all copied.

A caller woken by the failure but not yet running (its event is set, its future done) is not
waiting for more. ``hold_sleepers`` seconds after the first copy was held, the gate opens whatever the
caller does (it may sleep between polls, or wait where no frame shows it), so that no correct caller
can hang here; a caller that leaves at the first failure has terminated its pool long before.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing.pool
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Callable

from grader.grading.gatekeeper import _BLOCKING, _STDLIB, _thread_sleeps
from grader.inside import gates

# Where a pool or an executor hands a task's result (or its exception) to the caller's objects.
_DELIVERIES: tuple[tuple[type, str], ...] = (
    (multiprocessing.pool.ApplyResult, "_set"), (multiprocessing.pool.MapResult, "_set"),
    (multiprocessing.pool.IMapIterator, "_set"), (multiprocessing.pool.IMapUnorderedIterator, "_set"),
    (concurrent.futures.Future, "set_result"), (concurrent.futures.Future, "set_exception"),
)
# Leaving `with Pool(...)` terminates the workers: blocked there, the caller waits for nothing more.
_TERMINATING = {"terminate", "_terminate_pool", "__exit__", "_help_stuff_finish"}


def _has_arrived(thing: Any) -> bool:
    """Whether ``thing``, the object a waiting frame belongs to, already holds what it was waited for."""
    try:
        if isinstance(thing, threading.Event):
            return thing.is_set()
        if isinstance(thing, multiprocessing.pool.IMapIterator):
            return bool(thing._items)
        if isinstance(thing, concurrent.futures.Future):
            return thing.done()
    except Exception:  # an object half made or half torn down: nothing has arrived in it
        return False
    return False


def waits_for_more(frame: FrameType | None, is_learner_file: Callable[[str], bool]) -> str:
    """What the thread whose top frame is ``frame`` does: ``waiting`` (blocked in a standard-library
    wait for something not there yet), ``sleeping`` (blocked in its own code), ``stopping`` (inside
    ``Pool.terminate``), ``waking`` (what it waits for has arrived) or ``running``."""
    if frame is None:
        return "running"
    top = frame
    pool_file = multiprocessing.pool.__file__
    while frame is not None:
        code = frame.f_code
        if code.co_filename == pool_file and code.co_name in _TERMINATING:
            return "stopping"
        if code.co_filename.startswith(_STDLIB) and _has_arrived(frame.f_locals.get("self")):
            return "waking"
        if code.co_filename.startswith(_STDLIB) and _has_arrived(getattr(frame.f_locals.get("waiter"), "event", None)):
            return "waking"  # concurrent.futures' as_completed and wait
        frame = frame.f_back
    code = top.f_code
    if is_learner_file(code.co_filename):
        return "sleeping"
    if code.co_filename.startswith(_STDLIB) and (os.path.basename(code.co_filename), code.co_name) in _BLOCKING:
        return "waiting"
    return "running"


@dataclass
class FailureGate:
    """Holds the copies at ``gate`` until the caller, after a task failed, is seen waiting for more.

    Use as a context manager around the call of the learner's function, in the thread that calls
    it; whatever was held when the call ended was never copied; on leaving, everyone is let through.
    """

    gate: gates.Gate
    is_learner_file: Callable[[str], bool]
    hold_sleepers: float
    _delivered: int = 0
    _caller: int = 0
    _caller_native: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _patches: list[tuple[type, str, Any]] = field(default_factory=list)

    def __enter__(self) -> "FailureGate":
        self._caller = threading.get_ident()
        self._caller_native = threading.get_native_id()
        Path(self.gate.folder, gates.OPEN).mkdir(parents=True, exist_ok=True)
        Path(self.gate.folder, gates.ARRIVED).mkdir(parents=True, exist_ok=True)
        self._watch_deliveries()
        self._thread = threading.Thread(target=self._run_or_open, name="grader-failure-gate", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._open()
        if self._thread is not None:
            self._thread.join()
        for cls, name, original in reversed(self._patches):
            setattr(cls, name, original)
        self._patches.clear()

    def _open(self) -> None:
        Path(self.gate.folder, gates.OPEN, gates.EVERYONE).write_text("")

    def _watch_deliveries(self) -> None:
        keeper = self
        for cls, name in _DELIVERIES:
            original = cls.__dict__[name]

            def delivered(result: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                try:
                    return _original(result, *args, **kwargs)
                finally:
                    keeper._delivered += 1

            setattr(cls, name, delivered)
            self._patches.append((cls, name, original))

    def _run_or_open(self) -> None:
        """Watch the caller; should the watching itself fail, open the gate rather than hold anyone for ever."""
        try:
            self._run()
        except BaseException:
            self._open()
            raise

    def _run(self) -> None:
        blocked_since: float | None = None
        first_held: float | None = None  # the fallback's clock starts once a copy is held
        last = ("", (0, 0))
        while not self._stop.wait(0.002):
            now = time.monotonic()
            frame = sys._current_frames().get(self._caller)
            state = waits_for_more(frame, self.is_learner_file)
            if state in ("waiting", "sleeping") and _thread_sleeps(self._caller_native) is False:
                state = "running"
            where = (id(frame), frame.f_lasti) if frame is not None else (0, 0)
            seen = (state, where)
            if state not in ("waiting", "sleeping"):
                blocked_since = None
            elif seen != last or blocked_since is None:
                blocked_since = now
            last = seen
            del frame
            if first_held is None and os.listdir(Path(self.gate.folder, gates.ARRIVED)):
                first_held = now
            if first_held is None:
                continue
            # Two looks in a row at the same wait: the caller is blocked there, not passing by.
            waits_after_failure = (blocked_since is not None and self._delivered > 0 and state == "waiting"
                                   and now > blocked_since)
            # Past hold_sleepers the gate opens whatever the caller seems to do: a wait this reading does not
            # know (Thread.join is C code from Python 3.13 on, with no frame to see) must never hold correct
            # code until its time limit; code that leaves at the first failure has left long before.
            if not waits_after_failure and now - first_held < self.hold_sleepers:
                continue
            self._open()
            return
