"""Leave no process behind.

What worked in trials against children that never exit, grandchildren and ``setsid`` double
forks: make the grader a *child subreaper* (orphans are re-parented to it instead of init), then
kill its process group and every descendant psutil can see, until none is left.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import time
from typing import Iterator, NamedTuple

import psutil

from grader import host

_PR_SET_CHILD_SUBREAPER = 36

# Helpers that multiprocessing starts on its own: not the learner's processes.
HELPER_MARKERS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")

# Linux's /proc/PID/stat holds a process's parent, state and start time on one line.
PROC_STAT = host.CAN_SUBREAP and os.path.exists(f"/proc/{os.getpid()}/stat")


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux); return whether it worked."""
    if not host.CAN_SUBREAP:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(of: int | None = None) -> list[psutil.Process]:
    """Living (not zombie) descendants of ``of`` (default: this process)."""
    if (of is None or of == os.getpid()) and not has_children():
        return []
    if PROC_STAT:
        alive = []
        for pid in descendant_pids(os.getpid() if of is None else of):
            try:
                alive.append(psutil.Process(pid))
            except psutil.NoSuchProcess:
                pass
        return alive
    try:
        found = psutil.Process(of).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    alive = []
    for proc in found:
        try:
            if proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except psutil.NoSuchProcess:
            pass
    return alive


class ProcStat(NamedTuple):
    """What Linux's ``/proc/PID/stat`` says of one process, read in one go."""

    pid: int
    ppid: int
    state: bytes  # b"R", b"S", b"Z" (zombie), b"T" (stopped by a signal) ...
    started: int  # clock ticks after boot
    cpu_ticks: int  # user + system time, its own and its reaped children's
    rss_pages: int


def proc_stats() -> dict[int, ProcStat]:
    """Every process of the machine now, by pid, from one read of each ``/proc/PID/stat`` (Linux)."""
    stats = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fd = os.open(f"/proc/{name}/stat", os.O_RDONLY)
            try:
                line = os.read(fd, 4096)
            finally:
                os.close(fd)
            # After the command's name (in parentheses, which may hold anything): the fields from the 3rd on.
            fields = line[line.rindex(b")") + 2:].split()
            stats[int(name)] = ProcStat(
                pid=int(name), ppid=int(fields[1]), state=fields[0], started=int(fields[19]),
                cpu_ticks=int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14]),
                rss_pages=int(fields[21]))
        except (OSError, ValueError, IndexError):
            continue  # ended while the walk ran
    return stats


def descendant_pids(root: int, zombies: bool = False, stats: dict[int, ProcStat] | None = None) -> list[int]:
    """The pids of :func:`descendants` of ``root`` on Linux (and of its zombies with ``zombies``).

    From one read of each ``/proc/PID/stat`` (``stats``, read now if not given): what psutil reads to
    find them, without its two further reads per descendant (its start time, its state), which the
    same line holds.
    """
    stats = proc_stats() if stats is None else stats
    if root not in stats:
        return []
    children: dict[int, list[ProcStat]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat)
    root_started = stats[root].started
    found: list[int] = []
    stack = [root]
    while stack:
        for stat in children.get(stack.pop(), ()):
            # A pid started before the root is not its child but a reused number.
            if stat.started < root_started:
                continue
            stack.append(stat.pid)
            if zombies or stat.state != b"Z":
                found.append(stat.pid)
    return found


def has_children() -> bool:
    """Whether this process has a child, living or a zombie, as the kernel tells without reaping any.

    Without a child a process has no descendant either (an orphan is re-parented to a subreaper or
    init, never to a grandparent): this spares the walk over every process of the machine that
    psutil makes to find descendants, on every clean-up of a grading whose processes all ended.
    """
    if not hasattr(os, "waitid"):
        return True
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    except OSError:
        return True
    return True


def is_helper(proc: psutil.Process) -> bool:
    """Whether ``proc`` is one of multiprocessing's own helpers (resource tracker, fork server)."""
    try:
        command = " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return any(marker in command for marker in HELPER_MARKERS)


def kill_tree(root: int | None = None, include_root: bool = False, rounds: int = 20) -> int:
    """SIGKILL every descendant of ``root`` (default: this process), reap them; return how many.

    Repeats, because a process may fork between being listed and being killed.
    """
    killed = 0
    for _ in range(rounds):
        procs = descendants(root)
        if include_root and root is not None and psutil.pid_exists(root):
            try:
                procs.append(psutil.Process(root))
            except psutil.NoSuchProcess:
                pass
        if not procs:
            break
        for proc in procs:
            try:
                proc.kill()  # SIGKILL; TerminateProcess on Windows, which has no SIGKILL
                killed += 1
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        _wait_dead(procs, timeout=2)
    return killed


def _wait_dead(procs: list[psutil.Process], timeout: float) -> None:
    """Wait until every one of ``procs`` has died (a zombie has: it runs nothing), then reap those that are ours.

    psutil's ``wait_procs`` waits for a process to disappear, and a killed grandchild whose parent was killed
    too stays a zombie until its new parent (this subreaper) reaps it: psutil then polled until its timeout.
    A pidfd becomes readable when its process dies, whoever its parent is.
    """
    if not host.HAS_PIDFD:
        psutil.wait_procs(procs, timeout=timeout)
        return
    pidfds = []
    unwatched = []
    for proc in procs:
        try:
            pidfds.append(os.pidfd_open(proc.pid))
        except ProcessLookupError:  # gone (and reaped) already
            pass
        except OSError:  # out of descriptors (a fork flood): waited for as psutil does
            unwatched.append(proc)
    deadline = time.monotonic() + timeout
    try:
        # poll, not select: a flood's pidfds pass select's FD_SETSIZE (1024), and select then raises.
        poller = select.poll()
        for fd in pidfds:
            poller.register(fd, select.POLLIN)
        waiting = set(pidfds)
        while waiting and (left := deadline - time.monotonic()) > 0:
            for fd, _ in poller.poll(left * 1000):
                poller.unregister(fd)
                waiting.discard(fd)
    finally:
        for fd in pidfds:
            os.close(fd)
    if unwatched:
        psutil.wait_procs(unwatched, timeout=max(0.0, deadline - time.monotonic()))
    for proc in procs:
        try:
            os.waitpid(proc.pid, os.WNOHANG)
        except (ChildProcessError, OSError):  # not ours: its own parent reaps it
            pass


def kill_group(pgid: int) -> None:
    """SIGKILL a whole process group, if it still exists (Windows has none: there the tree is killed instead)."""
    if not host.HAS_PROCESS_GROUPS:
        return
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap_zombies() -> None:
    """Collect the exit status of any finished child, so none lingers as a zombie.

    Only for a process that starts no ``multiprocessing`` children itself: it would take their
    exit codes from under ``Process.join``.
    """
    while host.REAPS_CHILDREN:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: the grader stops as after Ctrl-C, then exits with ``128 + signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# What CI, `timeout` and `kill` send (SIGTERM), and what a closed terminal sends (SIGHUP). Their
# default action ends the grader on the spot, and its worker lives in a session of its own: the
# worker and the learner's processes would run on, orphaned.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_INTERRUPTIONS = (signal.SIGINT, *STOP_SIGNALS)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


def stop_as_on_ctrl_c() -> None:
    """From now on SIGTERM and SIGHUP raise :class:`Terminated` here, so whatever catches Ctrl-C cleans up.

    A signal this process was started with ignored (``nohup``) stays ignored.
    """
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_terminated)


def default_stop_signals() -> None:
    """Give SIGTERM and SIGHUP back their default action (in the worker, just forked from the grader).

    ``Process.terminate()`` sends SIGTERM: the learner's processes must die of it, not raise.
    """
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is _raise_terminated:
            signal.signal(signum, signal.SIG_DFL)


def exit_status_of(interruption: KeyboardInterrupt) -> int:
    """130 after Ctrl-C, ``128 + signum`` after a stop signal: what a shell reports for a process it killed."""
    return 128 + (interruption.signum if isinstance(interruption, Terminated) else signal.SIGINT)


@contextlib.contextmanager
def ignoring_interruptions() -> Iterator[None]:
    """A ``with`` block that no Ctrl-C or stop signal cuts short (for the clean-up itself)."""
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _INTERRUPTIONS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# Where the grader can hold signals and wait for them itself (Linux; not macOS, which lacks sigtimedwait).
CAN_HOLD = host.CAN_HOLD_SIGNALS
_HELD = {*_INTERRUPTIONS, *((signal.SIGCHLD,) if hasattr(signal, "SIGCHLD") else ())}


@contextlib.contextmanager
def interruptions_held() -> Iterator[None]:
    """A ``with`` block where Ctrl-C, the stop signals and SIGCHLD wait for :func:`wait_for_a_child` or the block's end.

    For forking the worker and waiting for it. A KeyboardInterrupt raised in one of os.fork's
    at-fork callbacks (``logging`` has some) is printed as "Exception ignored" and lost, and even
    outside them a Ctrl-C sent just as the worker started was at times never acted on (3 in 228
    under load, on 3.11): the grader then waited out a worker it had been told to stop. A held
    signal is taken synchronously, so none is lost. Where signals cannot be held, nothing is.
    """
    if not CAN_HOLD:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def wait_for_a_child(timeout: float) -> None:
    """Return when a child may have ended, or after ``timeout`` seconds; act on a Ctrl-C or stop signal meanwhile.

    Inside :func:`interruptions_held`, a held interruption is acted on as its delivery would be:
    its Python handler is called (KeyboardInterrupt, :class:`Terminated`), an ignored one is
    ignored, one left at its default ends the process. Elsewhere, a short sleep.
    """
    if not CAN_HOLD:
        time.sleep(min(0.01, timeout))
        return
    taken = signal.sigtimedwait(_HELD, timeout)
    if taken is not None and taken.si_signo in _INTERRUPTIONS:
        _deliver(taken.si_signo)


def _deliver(signum: int) -> None:
    handler = signal.getsignal(signum)
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})
        os.kill(os.getpid(), signum)
