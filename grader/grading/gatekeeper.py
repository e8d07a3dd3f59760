"""The grader's half of a gate: it decides when each held child may go on, from what the caller does.

The learner's function runs in the grading process's main thread; its children wait at a
:class:`~grader.inside.gates.Gate` before they do their work. A thread here watches the caller and
lets one child through only when the caller is *blocked waiting* (in ``join()``, a sentinel wait,
a pool's ``get()``, a sleep between ``is_alive()`` polls), and only once the child let through
before has ended. Children go through in the order that exposes a missing wait: one the caller is
seen waiting for (the one whose ``join()`` it is in, those whose sentinels it waits on, those it
polled before it went to sleep), the one started last among them, else the one started last. So
the verdicts do not depend on the machine's schedule:

* a caller that returns while a child is still held at the gate did not wait for it (that child
  has not even begun its work, however fast the machine); a caller that waits for some of its
  children only is never let through to a child it does not wait for, so it returns with one of
  those held;
* a caller that blocks before it has started every child it was asked to start runs them one at
  a time (the children it waits on are held, so it cannot have started the others meanwhile);
* a caller that sleeps in its own code without ever looking at its children is not waiting for
  them: its children stay held until it returns (or, for a caller that waits by some means the
  grader cannot see, until ``hold_sleepers`` seconds have passed).

"Blocked" is read from the operating system where it tells (``/proc``: the thread sleeps, it is not
merely waiting for a CPU on a busy machine), and from the caller's Python stack: a thread inside
``Process.start()`` is starting a child, not waiting for one.
"""

from __future__ import annotations

import multiprocessing.connection
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader.inside import gates, hooks, observe

from .child_looks import ChildLooks

# Code the caller may be in while it starts a process (under forkserver, start() blocks reading
# the new pid from the fork server): being blocked there is not waiting for a child.
_STARTING_NAMES = {"start", "_launch", "_spawn_process", "_repopulate_pool", "_repopulate_pool_static",
                   "_adjust_process_count", "_launch_processes"}
# Workers that take tasks as they come: one that never gets a task never reaches the gate.
_POOL_TARGETS = ("multiprocessing.pool.", "concurrent.futures.process.")
_STDLIB = os.path.dirname(os.__file__)
# Where the standard library blocks waiting for a child, a result or a lock: (file, function).
_BLOCKING = {
    ("popen_fork.py", "poll"), ("popen_fork.py", "wait"), ("popen_forkserver.py", "poll"),
    ("popen_forkserver.py", "wait"), ("popen_spawn_win32.py", "wait"), ("connection.py", "wait"),
    ("connection.py", "_poll"), ("connection.py", "_recv"), ("selectors.py", "select"),
    ("threading.py", "wait"), ("threading.py", "_wait_for_tstate_lock"), ("queue.py", "get"),
    ("queues.py", "get"), ("synchronize.py", "__enter__"), ("synchronize.py", "acquire"),
}

def _running(entry: observe.StartedProcess) -> bool:
    """Whether the process has not ended, read from its sentinel (never reaping it under the caller's join())."""
    if entry.ended is not None:
        return False
    try:
        return not multiprocessing.connection.wait([entry.process.sentinel], 0)
    except (ValueError, OSError):  # closed by the learner's code, so ended
        return False


def _pids_of_sentinels(objects: object, entries: list[observe.StartedProcess]) -> set[int]:
    """The children whose sentinels are among ``objects`` (what a ``connection.wait`` waits on).

    Only a list, tuple or set is read: a generator would be consumed under the learner's feet."""
    if not isinstance(objects, (list, tuple, set, frozenset)):
        return set()
    handles = set()
    for item in list(objects):
        if isinstance(item, int):
            handles.add(item)
        elif callable(getattr(item, "fileno", None)):
            try:
                handles.add(item.fileno())
            except (OSError, ValueError):
                continue
    return {e.pid for e in entries if observe.has_sentinel(e) and e.process.sentinel in handles}


def _thread_sleeps(native_id: int) -> bool | None:
    """Whether the thread is asleep in the kernel (``S``/``D``), per ``/proc``; None where that cannot be read."""
    try:
        with open(f"/proc/self/task/{native_id}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0] in (b"S", b"D")


@dataclass
class Gatekeeper:
    """Holds the learner's children at ``gate`` and lets them through only while the caller waits.

    Use as a context manager around the call of the learner's function, in the thread that calls
    it; call :meth:`caller_returned` right after the call returns (or raised): it records which
    children were still held, then opens the gate for everyone.
    """

    gate: gates.Gate
    started: Callable[[], list[observe.StartedProcess]]
    is_learner_file: Callable[[str], bool]
    expected: int | None = None  # how many children the caller was asked to start
    settle: float = 0.015  # how long the caller must stay blocked before it counts as waiting
    boot_patience: float = 1.0  # how long a started child may take to reach the gate
    hold_sleepers: float = 5.0
    # How long a caller that stays put in one wait (an executor's shutdown) after a child ended is
    # given to wake and move before it counts as still waiting: far above a busy machine's wake-up.
    rewait_patience: float = 0.5
    # Seconds, in all, of waits with a timeout (``join(1)``) outwaited: such a wait holds the child it
    # waits for until the caller has begun another wait, so a caller that gives up when it times out
    # returns with the child still held. Once spent (or 0), a timed wait counts as any wait.
    outwait_timeouts: float = 0.0
    # What was seen, for the verdicts:
    released: list[int] = field(default_factory=list)  # pids let through, in order
    _released_tokens: set[str] = field(default_factory=set)
    held_at_return: list[int] = field(default_factory=list)  # pids still at the gate when the caller returned
    on_the_way_at_return: list[int] = field(default_factory=list)  # started, not yet at the gate, at return
    started_when_first_waited: int | None = None  # children started when the caller first waited on a held one
    outwaited: dict[int, float] = field(default_factory=dict)  # pid: the timeout of a wait for it held past its end
    outwaited_how: dict[int, str] = field(default_factory=dict)  # pid: that wait, as written (join(5))
    _caller: int = 0
    _caller_native: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _looks: ChildLooks = field(default_factory=ChildLooks)  # its polls since the last release, its waits
    _outwaiting: tuple[int, int] | None = None  # (pid, waits_begun) of the timed wait being outwaited
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _learner_files: dict[str, bool] = field(default_factory=dict)

    def __enter__(self) -> "Gatekeeper":
        self._caller = threading.get_ident()
        self._caller_native = threading.get_native_id()
        Path(self.gate.folder, gates.OPEN).mkdir(parents=True, exist_ok=True)
        Path(self.gate.folder, gates.ARRIVED).mkdir(parents=True, exist_ok=True)
        self._looks.watch()
        self._thread = threading.Thread(target=self._run_or_open, name="grader-gatekeeper", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.caller_returned()

    # -- the verdicts' evidence -------------------------------------------------------------

    @property
    def unfinished_at_return(self) -> list[int]:
        """Children that cannot have done their work when the caller returned: held, or not yet at the gate."""
        return sorted({*self.held_at_return, *self.on_the_way_at_return})

    @property
    def waited_before_starting_all(self) -> bool:
        """Whether the caller waited on a held child before it had started all ``expected`` children."""
        return (self.expected is not None and self.started_when_first_waited is not None
                and self.started_when_first_waited < self.expected)

    def caller_returned(self) -> None:
        """Note who is still held now that the caller has returned, then let everyone through."""
        if self._stop.is_set():
            return
        with self._lock:
            self._stop.set()
            arrived = self._arrived()
            self.held_at_return = sorted({gates.pid_of(t) for t in arrived if t not in self._released_tokens})
            at_gate = {gates.pid_of(t) for t in arrived}
            self.on_the_way_at_return = sorted(e.pid for e in self._gated(self.started())
                                               if _running(e) and e.pid not in at_gate)
            self._open(gates.EVERYONE)
        if self._thread is not None:
            self._thread.join()
        self._looks.unwatch()

    # -- watching ---------------------------------------------------------------------------

    def _arrived(self) -> list[str]:
        try:
            return os.listdir(Path(self.gate.folder, gates.ARRIVED))
        except OSError:
            return []

    def _left(self, token: str) -> bool:
        return Path(self.gate.folder, gates.LEFT, token).exists()

    def _open(self, name: str) -> None:
        Path(self.gate.folder, gates.OPEN, name).write_text("")

    @staticmethod
    def _gated(entries: list[observe.StartedProcess]) -> list[observe.StartedProcess]:
        """The started processes expected at the gate (not pool workers, which may never get a task, nor managers)."""
        return [e for e in entries if not e.serves_a_manager and not e.target.startswith(_POOL_TARGETS)]

    def _caller_state(self) -> tuple[str, tuple[int, int]]:
        """What the caller is doing, and where (its top frame and instruction, to see it stay put).

        ``gone``, ``starting`` (inside ``Process.start()``), ``running``, ``waiting`` (inside one of
        the standard library's blocking waits) or ``sleeping`` (blocked in a call made from its own
        code, such as ``time.sleep``). The OS alone cannot tell: a thread that waits for the GIL
        this thread holds while it looks sleeps too.
        """
        frame = sys._current_frames().get(self._caller)
        if frame is None:
            return "gone", (0, 0)
        top = frame
        where = (id(top), top.f_lasti)
        in_learner_code = False
        while frame is not None:
            code = frame.f_code
            if code.co_name in _STARTING_NAMES and (code.co_filename.startswith(_STDLIB)
                                                    or code.co_filename == hooks.__file__):
                return "starting", where
            in_learner_code = in_learner_code or self._learners(code.co_filename)
            frame = frame.f_back
        # Outside the learner's code (the grader's own, before the call or after it returned) the
        # caller waits for nothing of the learner's, whatever it blocks on.
        if not in_learner_code or _thread_sleeps(self._caller_native) is False:
            return "running", where
        code = top.f_code
        if self._learners(code.co_filename):
            return "sleeping", where
        if code.co_filename.startswith(_STDLIB) and (os.path.basename(code.co_filename), code.co_name) in _BLOCKING:
            return "waiting", where
        return "running", where

    def _learners(self, filename: str) -> bool:
        """Whether ``filename`` is the learner's (remembered: the answer costs a path resolution)."""
        known = self._learner_files.get(filename)
        if known is None:
            known = self._learner_files[filename] = self.is_learner_file(filename)
        return known

    def _waited_pids(self, entries: list[observe.StartedProcess]) -> set[int]:
        """The children the caller is blocked waiting for, read from its stack: the one whose Popen's
        poll or wait it is in (``join()``), or those whose sentinels it waits on
        (``multiprocessing.connection.wait``). Empty when the stack does not tell (a pool's result,
        an executor, a sleep between polls, ``os.waitpid``)."""
        return self._caller_wait(entries)[0]

    def _caller_wait(self, entries: list[observe.StartedProcess]) -> tuple[set[int], bool]:
        """:meth:`_waited_pids`, and whether that wait has no timeout (it ends only when one of them ends)."""
        frame = sys._current_frames().get(self._caller)
        while frame is not None:
            code = frame.f_code
            if code.co_filename.startswith(_STDLIB):
                base = os.path.basename(code.co_filename)
                if code.co_name in ("poll", "wait") and base.startswith("popen"):
                    local = frame.f_locals
                    pid = getattr(local.get("self"), "pid", None)
                    # poll(0) is waitpid without WNOHANG; wait(None) has no timeout.
                    untimed = local.get("flag", 1) == 0 if code.co_name == "poll" else local.get("timeout", 0) is None
                    return ({pid}, untimed) if isinstance(pid, int) else (set(), False)
                if (base, code.co_name) == ("connection.py", "wait"):
                    local = frame.f_locals
                    return _pids_of_sentinels(local.get("object_list"), entries), local.get("timeout", 0) is None
            frame = frame.f_back
        return set(), False

    def _note_sentinel_wait(self, entries: list[observe.StartedProcess]) -> None:
        """Note a ``multiprocessing.connection.wait`` the caller's code makes itself (not a join's own), from its
        stack: the function may be bound in the learner's module before the watching began, so it is not wrapped."""
        frame = sys._current_frames().get(self._caller)
        while frame is not None:
            code = frame.f_code
            if code.co_name == "wait" and code.co_filename.startswith(_STDLIB) \
                    and os.path.basename(code.co_filename) == "connection.py":
                outer = frame.f_back
                if outer is not None and not os.path.basename(outer.f_code.co_filename).startswith("popen"):
                    local = frame.f_locals
                    timeout, deadline = local.get("timeout"), local.get("deadline")
                    # A timed wait is told from the next by its deadline: not yet set while it registers
                    # its objects, when the same wait must not be counted twice (that would be "waits again").
                    if timeout is None or deadline is not None:
                        self._looks.saw_sentinel_wait(_pids_of_sentinels(local.get("object_list"), entries),
                                                      timeout, deadline)
                return
            frame = frame.f_back

    def _surely_waiting(self, state: str) -> bool:
        """Whether the caller is in a wait with no timeout for children all held at the gate: it cannot
        leave that wait before the grader lets one of them go, so it need not be watched settling."""
        if state != "waiting":
            return False
        pids, untimed = self._caller_wait(self.started())
        if not pids or not untimed:
            return False
        held = {gates.pid_of(t) for t in self._arrived() if t not in self._released_tokens}
        return pids <= held

    def _waits_again(self, state: str, where: tuple[int, int], ended: int, released_at: tuple[int, int],
                     entries: list[observe.StartedProcess]) -> bool:
        """Whether the caller, after the child ``ended`` that it was let through for, is waiting for another."""
        if state == "sleeping":
            # It looked at a child still running since that end; a last look at the child that
            # ended (the poll that ends a wait for it) is not waiting for another.
            return any(e.pid in self._looks.polled and e.pid != ended and _running(e) for e in entries)
        waited = self._waited_pids(entries)
        if waited:  # still in the wait for the child that ended is not yet awake
            return ended not in waited and any(e.pid in waited and _running(e) for e in entries)
        return where != released_at  # it woke and blocked again, elsewhere

    def _outwaits(self, chosen: int, state: str) -> bool:
        """Whether ``chosen`` stays held because the caller's wait for it has a timeout it may give up at.

        The first such wait for a child is outwaited: the child goes only once the caller shows it
        still waits for that child after the timeout (it begins another wait for it, a loop of timed
        joins, or sleeps between polls of it); a caller that gives up when the timeout ends (returns,
        or goes on to wait for another child) leaves the child held, however short its work. A
        timeout that would take the time outwaited past ``outwait_timeouts`` counts as waiting."""
        if self._outwaiting is not None and self._outwaiting[0] == chosen:
            waits_again = self._looks.waits_begun != self._outwaiting[1] and chosen in self._looks.last_waited
            polls_again = state == "sleeping" and chosen in self._looks.polled
            if not (waits_again or polls_again):
                # Still in that wait, or gone on to another child: chosen here only by a look at the stack
                # taken just before the caller moved on, which must not let it through.
                return True
            self._outwaiting = None
            return False
        timed = self._looks.timed_wait
        if not self.outwait_timeouts or timed is None or chosen not in timed[0] or chosen in self.outwaited:
            return False
        if sum(self.outwaited.values()) + timed[1] > self.outwait_timeouts:
            return False
        self.outwaited[chosen] = timed[1]
        self.outwaited_how[chosen] = self._looks.timed_how
        self._outwaiting = (chosen, self._looks.waits_begun)
        self._looks.polled.discard(chosen)
        return True

    def _run_or_open(self) -> None:
        """Watch the caller; should the watching itself fail, open the gate rather than hold anyone for ever."""
        try:
            self._run()
        except BaseException:
            self._open(gates.EVERYONE)
            raise

    def _run(self) -> None:
        blocked_since: float | None = None
        sleeping_since: float | None = None
        pending: int | None = None  # the child let through last, until it ends (or, a pool worker, comes back)
        pending_token = ""
        last_where = released_at = (0, 0)
        ended: int | None = None  # the child let through last, once it ended, until the caller waits again
        ended_at = 0.0
        while not self._stop.wait(0.002):
            now = time.monotonic()
            state, where = self._caller_state()
            # Blocked means staying put in a wait: code that runs moves on between two looks.
            if state in ("waiting", "sleeping") and (blocked_since is None or where == last_where):
                blocked_since = blocked_since if blocked_since is not None else now
            else:
                blocked_since = now if state in ("waiting", "sleeping") else None
            last_where = where
            if state == "waiting" and self.outwait_timeouts:
                self._note_sentinel_wait(self.started())
            sleeping_since = (sleeping_since or now) if state == "sleeping" else None
            if blocked_since is None or (now - blocked_since < self.settle and not self._surely_waiting(state)):
                continue
            entries = self.started()
            if pending is not None:
                entry = next((e for e in entries if e.pid == pending), None)
                if entry is not None and _running(entry) and not self._left(pending_token):
                    continue
                # The caller must be seen waiting again, not merely not yet woken by that end (a
                # busy machine can take longer to wake it than the next child takes to run): that is
                # _waits_again's to tell, from where it waits; its settling restarts when it moves.
                ended, ended_at, pending = pending, now, None
                self._looks.polled.clear()
                continue
            if (ended is not None and now - ended_at < self.rewait_patience
                    and not self._waits_again(state, where, ended, released_at, entries)):
                continue
            ended = None
            with self._lock:
                if self._stop.is_set():
                    return
                tokens = [t for t in self._arrived() if t not in self._released_tokens]
                serial = {e.pid: i for i, e in enumerate(entries)}  # the order they were started
                held = [t for t in tokens if gates.pid_of(t) in serial]
                if not held:
                    # Only processes the caller did not start are at the gate (grandchildren): the checks
                    # fail them as not its children, and no verdict on waiting rests on them. While the
                    # caller waits for a child of its own that still runs (which may wait for them), they
                    # go, rather than wait out the gate's patience; else they stay held, as any child.
                    if tokens and any(_running(e) for e in entries):
                        for token in tokens:
                            self._released_tokens.add(token)
                            self._open(token)
                    continue
                at_gate = {gates.pid_of(t) for t in tokens}
                waited = set(self._looks.polled) if state == "sleeping" else self._waited_pids(entries)
                # A child still on its way to the gate may be the one to choose (the last started):
                # wait for it. Where the caller names the children it waits for (its stack, or
                # those it polled), only those count: the others are not chosen now anyway.
                booting = [e for e in self._gated(entries) if _running(e) and e.pid not in at_gate
                           and e.pid not in self.released and now - e.started < self.boot_patience
                           and (not waited or e.pid in waited)]
                if booting:
                    continue
                if state == "sleeping" and not self._looks.polled and now - (sleeping_since or now) < self.hold_sleepers:
                    continue
                if self.started_when_first_waited is None:
                    self.started_when_first_waited = len([e for e in entries if not e.serves_a_manager])
                # Only a child the caller waits for goes, while the others stay held: a caller that
                # waits for some of its children only returns with another one still held. Among
                # those (a wait on several), or where the grader cannot tell (a pool's result), the
                # child started last goes first: a caller that waits for the first only has it last.
                # A caller asleep in its own code waits for the children it polled before it slept;
                # one that waits for none still held (a last look at the child that ended) is about
                # to move on, and gets another child only if it stays put for as long as a sleeper.
                wanted = [t for t in held if gates.pid_of(t) in waited]
                if waited and not wanted and now - blocked_since < self.hold_sleepers:
                    continue
                chosen = max(wanted or held, key=lambda t: serial[gates.pid_of(t)])
                if self._outwaits(gates.pid_of(chosen), state):
                    continue
                self.released.append(gates.pid_of(chosen))
                self._released_tokens.add(chosen)
                self._looks.polled.clear()
                pending, pending_token, released_at = gates.pid_of(chosen), chosen, where
                self._open(chosen)


def gatekeeper(folder: Path, started: Callable[[], list[observe.StartedProcess]],
               is_learner_file: Callable[[str], bool], start_cost: float, time_limit: float,
               expected: int | None = None, outwait_timeouts: bool = False) -> tuple[gates.Gate, Gatekeeper]:
    """A gate in ``folder`` and its keeper, with patience from this run's pace and the check's time limit.

    A child waits at most the check's time limit (by then the check has been stopped); a child may
    take 20 process start-ups, measured now, to reach the gate; a caller sleeping in its own code
    without looking at its children keeps them held for at most half the limit. With
    ``outwait_timeouts``, joins with a timeout are outwaited for up to half the limit in all.
    """
    gate = gates.Gate(str(folder), patience=time_limit)
    patience = min(2.0 + 20 * start_cost, time_limit / 2)
    keeper = Gatekeeper(gate, started, is_learner_file, expected, boot_patience=patience,
                        hold_sleepers=time_limit / 2, rewait_patience=patience / 4,
                        outwait_timeouts=time_limit / 2 if outwait_timeouts else 0.0)
    return gate, keeper
