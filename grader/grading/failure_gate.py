"""A gate that holds a pool's other copies until its caller has seen one task fail and still waits.

The learner's function runs in the main thread of the process that calls it (ex10's learner host: the
gate is put in place there, by the scene, never in the checker) and hands its copies to a pool,
an executor or processes of its own; every copy but the one made to fail waits at a
:class:`~grader.inside.gates.Gate` in the worker that runs it. The failing task (and the rest of
its chunk) goes straight on. The gate opens for everyone once the failure has been *delivered* to
the calling process (a pool's or an executor's result was set, or the caller read a non-zero exit
code) and the caller then goes on waiting for more. So the verdict does not depend on the schedule:

* a caller that leaves its pool on the first failure terminates it while the other copies are still
  held: they are never copied, however fast the machine;
* a caller that goes on waiting (for the next result, in ``join()``, in an executor's shutdown)
  lets them through, and they are all copied.

"Goes on waiting" is observed directly, not read from stack frames or a clock: while the gate is
up, the waits a caller of a pool can block in are wrapped in this process, for the caller's thread
only (``ApplyResult.wait`` under ``get``/``map``/``starmap``, ``IMapIterator.next``, ``Pool.join``,
``Future.result``/``exception``, ``Event``/``Condition.wait`` under ``concurrent.futures.wait`` and
``as_completed``, ``Thread.join`` under an executor's shutdown, ``Process.join``,
``multiprocessing.connection.wait``, the queues' ``get``). The gate opens when, after the delivery,

* the caller is in (or enters) such a wait for something that has not arrived: a caller woken by
  the failure itself (its result is there, its event set) is not waiting for more;
* or it asks twice whether the same unfinished thing is done (``ready()``, ``done()``,
  ``is_alive()``, a wait with timeout 0): it is polling;
* or it goes to sleep (``time.sleep``) a second time: it woke at least once after the failure and
  chose to wait again.

Waits inside ``Pool.terminate`` (leaving ``with Pool``), ``Thread.start`` and ``Process.start`` do not
count: there the caller waits for nothing more. A wait the wrappers do not know (a lock, a pipe of
the learner's) is not seen: its copies stay held until the gate's patience, the check's time limit.

Before the failure: when the caller hands out the failing copy after others (a sorted walk), every
worker may be held before it takes that copy, which then never runs. So while the failing copy has
not begun (it says so in ``<gate>/free``), every live process of the learner's is held and the caller
waits, the copies held are let through one at a time, each once the one before has left.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing.connection
import multiprocessing.pool
import multiprocessing.process
import multiprocessing.queues
import os
import queue
import threading
import time
import types
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Callable, Iterable

from grader.inside import gates, tasks

# The originals, for the grader's own questions (never counted as the caller's).
_wait_for_objects = multiprocessing.connection.wait
_sleep = time.sleep
_result_ready = multiprocessing.pool.ApplyResult.ready
_future_done = concurrent.futures.Future.done

_POPEN_MODULES = ("multiprocessing.popen_fork", "multiprocessing.popen_forkserver",
                  "multiprocessing.popen_spawn_win32")

# Where a pool or an executor hands a task's result (or its exception) to the caller's objects.
_DELIVERIES: tuple[tuple[type, str], ...] = (
    (multiprocessing.pool.ApplyResult, "_set"), (multiprocessing.pool.MapResult, "_set"),
    (multiprocessing.pool.IMapIterator, "_set"), (multiprocessing.pool.IMapUnorderedIterator, "_set"),
    (concurrent.futures.Future, "set_result"), (concurrent.futures.Future, "set_exception"),
)
# Calls in which the caller waits for nothing more (stopping a pool) or for its own start-up.
_QUIET: tuple[tuple[type, str], ...] = (
    (multiprocessing.pool.Pool, "terminate"), (multiprocessing.pool.Pool, "__exit__"),
    (threading.Thread, "start"), (multiprocessing.process.BaseProcess, "start"),
)


def _blocks(timeout: Any) -> bool:
    return timeout is None or (isinstance(timeout, (int, float)) and timeout > 0)


def _sentinel_ended(process: Any) -> bool:
    try:
        return bool(_wait_for_objects([process.sentinel], 0))
    except Exception:  # not started, or closed: nothing to wait for
        return True


def _imap_has_next(iterator: Any) -> bool:
    return bool(iterator._items) or iterator._index == iterator._length


def _queue_has_item(q: Any) -> bool:
    return not q.empty() if not isinstance(q, queue.Queue) else q._qsize() > 0


# (class, method, has it arrived (self, args, kwargs), does this call block (args, kwargs))
_WAITS: tuple[tuple[type, str, Callable[..., bool], Callable[..., bool]], ...] = (
    (multiprocessing.pool.ApplyResult, "wait", lambda s, a, k: _result_ready(s),
     lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (multiprocessing.pool.IMapIterator, "next", lambda s, a, k: _imap_has_next(s),
     lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (multiprocessing.pool.IMapIterator, "__next__", lambda s, a, k: _imap_has_next(s), lambda a, k: True),
    (multiprocessing.pool.Pool, "join", lambda s, a, k: False, lambda a, k: True),
    (concurrent.futures.Future, "result", lambda s, a, k: _future_done(s),
     lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (concurrent.futures.Future, "exception", lambda s, a, k: _future_done(s),
     lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (threading.Event, "wait", lambda s, a, k: s.is_set(), lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (threading.Condition, "wait", lambda s, a, k: False, lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (threading.Thread, "join", lambda s, a, k: not s.is_alive(),
     lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (multiprocessing.process.BaseProcess, "join", lambda s, a, k: _sentinel_ended(s),
     lambda a, k: _blocks(a[0] if a else k.get("timeout"))),
    (queue.Queue, "get", lambda s, a, k: _queue_has_item(s),
     lambda a, k: (a[0] if a else k.get("block", True)) and _blocks(a[1] if len(a) > 1 else k.get("timeout"))),
    (multiprocessing.queues.Queue, "get", lambda s, a, k: _queue_has_item(s),
     lambda a, k: (a[0] if a else k.get("block", True)) and _blocks(a[1] if len(a) > 1 else k.get("timeout"))),
    (multiprocessing.queues.SimpleQueue, "get", lambda s, a, k: _queue_has_item(s), lambda a, k: True),
)
# (class, method, has it arrived (self, what the call returned)): asking without blocking.
_LOOKS: tuple[tuple[type, str, Callable[[Any, Any], bool]], ...] = (
    (multiprocessing.pool.ApplyResult, "ready", lambda s, r: bool(r)),
    (concurrent.futures.Future, "done", lambda s, r: bool(r)),
    (multiprocessing.process.BaseProcess, "is_alive", lambda s, r: not r),
)


@dataclass
class FailureGate:
    """Holds the copies at ``gate`` until the caller, after a task failed, is seen waiting for more.

    Use as a context manager around the call of the learner's function, in the thread that calls
    it; whatever was held when the call ended was never copied; on leaving, everyone is let through.
    ``modules`` (the learner's) are searched for names bound to ``time.sleep``, which are watched too.
    """

    gate: gates.Gate
    started: Callable[[], list[Any]] = list  # the processes the learner's code started (registry entries)
    modules: Iterable[types.ModuleType] = ()
    opened_because: str = ""  # which rule opened the gate, for the tests and the record
    _delivered: bool = False
    _caller: int = 0
    _pid: int = 0
    _waits: list[Callable[[], bool]] = field(default_factory=list)  # the caller's open waits, outermost first
    _quiet: int = 0
    _looked: set[int] = field(default_factory=set)  # unfinished things the caller asked about after the delivery
    _sleeps: int = 0  # sleeps the caller began after the delivery
    _sleeps_before: int = 0  # sleeps the caller began, before the delivery, since a copy was last let through
    released: list[str] = field(default_factory=list)  # copies let through one at a time, before the failure
    _patches: list[tuple[Any, str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> "FailureGate":
        self._caller = threading.get_ident()
        self._pid = os.getpid()
        Path(self.gate.folder, gates.OPEN).mkdir(parents=True, exist_ok=True)
        Path(self.gate.folder, gates.ARRIVED).mkdir(parents=True, exist_ok=True)
        try:
            self._watch()
        except BaseException:
            self._unwatch()
            raise
        self._thread = threading.Thread(target=self._until_the_failure, name="grader-failure-gate", daemon=True)
        self._thread.start()
        return self

    @property
    def everyone_let_through(self) -> bool:
        """Whether a task's failure reached the calling process and the gate then opened for every copy."""
        return self._delivered and bool(self.opened_because)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._unwatch()
        self._open("the call ended")

    # -- before the failure: one at a time, while the failing copy cannot begin ---------------

    def _until_the_failure(self) -> None:
        """Let held copies through one at a time while the caller waits and the failing copy cannot begin."""
        try:
            pending: str | None = None
            while not self._stop.wait(0.002) and not self._delivered and not self.opened_because:
                if pending is not None and not Path(self.gate.folder, gates.LEFT, pending).exists():
                    continue
                pending = None
                if _listed(Path(self.gate.folder, tasks.FREE)) or not self._caller_waits():
                    continue
                held = sorted(set(_listed(Path(self.gate.folder, gates.ARRIVED))) - set(self.released))
                alive = {e.pid for e in self.started() if not e.serves_a_manager and not _sentinel_ended(e.process)}
                if not held or not alive <= {gates.pid_of(t) for t in held}:
                    continue  # a process not held will take the failing copy
                pending = held[0]
                self.released.append(pending)
                self._sleeps_before = 0
                Path(self.gate.folder, gates.OPEN, pending).write_text("")
        except BaseException:
            self._open("the gate's watcher failed")  # never hold anyone for ever
            raise

    def _caller_waits(self) -> bool:
        try:
            outermost = self._waits[0]
        except IndexError:
            return self._sleeps_before >= 2 and not self._quiet
        return not self._quiet and not _safely(outermost)

    # -- deciding ----------------------------------------------------------------------------

    def _is_caller(self) -> bool:
        # A child forked while the wrappers are in place inherits them: only the calling process decides.
        return threading.get_ident() == self._caller and os.getpid() == self._pid

    def _open(self, why: str) -> None:
        if not self.opened_because:
            self.opened_because = why
        Path(self.gate.folder, gates.OPEN, gates.EVERYONE).write_text("")

    def delivered(self) -> None:
        """A task's outcome reached the calling process: open if the caller already waits for more."""
        self._delivered = True
        try:
            outermost = self._waits[0]  # the caller may leave its wait meanwhile: then there is none
        except IndexError:
            return
        if not self._quiet and not _safely(outermost):
            self._open("waiting when the failure came")

    def _entering_wait(self, arrived: Callable[[], bool]) -> None:
        if self._delivered and not self._quiet and not self._waits[1:] and not _safely(arrived):
            self._open("waited after the failure")

    def _looked_at(self, thing: object, arrived: bool) -> None:
        if not self._delivered or self._quiet or self._waits or arrived:
            return
        if id(thing) in self._looked:
            self._open("polled after the failure")
        self._looked.add(id(thing))

    def _sleeping(self, seconds: Any) -> None:
        self._sleeps_before += 1
        if self._delivered and not self._quiet and not self._waits and isinstance(seconds, (int, float)) and seconds > 0:
            self._sleeps += 1
            if self._sleeps >= 2:
                self._open("slept again after the failure")

    # -- the wrappers ------------------------------------------------------------------------

    def _patch(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
        if original is None:
            return
        setattr(owner, name, make(original))
        self._patches.append((owner, name, original))

    def _unwatch(self) -> None:
        for owner, name, original in reversed(self._patches):
            setattr(owner, name, original)
        self._patches.clear()

    def _watch(self) -> None:
        keeper = self
        for cls, name in _DELIVERIES:
            def delivering(original: Any) -> Any:
                def delivered(result: Any, *args: Any, **kwargs: Any) -> Any:
                    try:
                        return original(result, *args, **kwargs)
                    finally:
                        if os.getpid() == keeper._pid:
                            keeper.delivered()
                return delivered
            self._patch(cls, name, delivering)
        for module in _POPEN_MODULES:
            try:
                popen = import_module(module).Popen
            except ImportError:
                continue

            def polling(original: Any) -> Any:
                def poll(process: Any, *args: Any, **kwargs: Any) -> Any:
                    code = original(process, *args, **kwargs)
                    if code and keeper._is_caller():  # the caller read a copy's failure from its exit code
                        keeper.delivered()
                    return code
                return poll
            self._patch(popen, "poll", polling)
        for cls, name in _QUIET:
            def quieting(original: Any) -> Any:
                def quiet(obj: Any, *args: Any, **kwargs: Any) -> Any:
                    if not keeper._is_caller():
                        return original(obj, *args, **kwargs)
                    keeper._quiet += 1
                    try:
                        return original(obj, *args, **kwargs)
                    finally:
                        keeper._quiet -= 1
                return quiet
            self._patch(cls, name, quieting)
        for cls, name, arrived, blocking in _WAITS:
            def waiting(original: Any, arrived: Callable[..., bool] = arrived,
                        blocking: Callable[..., bool] = blocking) -> Any:
                def wait(obj: Any, *args: Any, **kwargs: Any) -> Any:
                    if not keeper._is_caller():
                        return original(obj, *args, **kwargs)
                    if not _safely(lambda: blocking(args, kwargs)):
                        try:
                            return original(obj, *args, **kwargs)
                        finally:
                            keeper._looked_at(obj, _safely(lambda: arrived(obj, args, kwargs)))
                    return keeper._in_wait(lambda: arrived(obj, args, kwargs), original, obj, args, kwargs)
                return wait
            self._patch(cls, name, waiting)
        for cls, name, arrived_after in _LOOKS:
            def looking(original: Any, arrived_after: Callable[[Any, Any], bool] = arrived_after) -> Any:
                def look(obj: Any, *args: Any, **kwargs: Any) -> Any:
                    result = original(obj, *args, **kwargs)
                    if keeper._is_caller():
                        keeper._looked_at(obj, _safely(lambda: arrived_after(obj, result)))
                    return result
                return look
            self._patch(cls, name, looking)

        def sleeping(original: Any) -> Any:
            def sleep(seconds: Any) -> None:
                if keeper._is_caller():
                    keeper._sleeping(seconds)
                return original(seconds)
            return sleep
        self._patch(time, "sleep", sleeping)
        for module in self.modules:
            for name, value in list(vars(module).items()):
                if value is _sleep:
                    self._patch(module, name, sleeping)

        def waiting_for_objects(original: Any) -> Any:
            def wait(object_list: Any, timeout: Any = None) -> Any:
                if not keeper._is_caller() or not _blocks(timeout):
                    return original(object_list, timeout)
                return keeper._in_wait(lambda: bool(original(list(object_list), 0)), lambda _o, *a, **k: original(*a, **k),
                                       None, (object_list, timeout), {})
            return wait
        self._patch(multiprocessing.connection, "wait", waiting_for_objects)

    def _in_wait(self, arrived: Callable[[], bool], original: Any, obj: Any, args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> Any:
        self._waits.append(arrived)
        try:
            self._entering_wait(arrived)
            return original(obj, *args, **kwargs)
        finally:
            self._waits.pop()


def _listed(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _safely(question: Callable[[], bool]) -> bool:
    """The answer to ``question``; True (arrived: nothing to wait for) for an object half made or torn down."""
    try:
        return bool(question())
    except Exception:
        return True
