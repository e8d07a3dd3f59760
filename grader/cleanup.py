"""Leave no process behind.

What worked in trials against children that never exit, grandchildren and ``setsid`` double
forks: make the grader a *child subreaper* (orphans are re-parented to it instead of init), then
kill its process group and every descendant psutil can see, until none is left.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

import psutil

_PR_SET_CHILD_SUBREAPER = 36

# Helpers that multiprocessing starts on its own: not the learner's processes.
HELPER_MARKERS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux); return whether it worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(of: int | None = None) -> list[psutil.Process]:
    """Living (not zombie) descendants of ``of`` (default: this process)."""
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
                proc.send_signal(signal.SIGKILL)
                killed += 1
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        psutil.wait_procs(procs, timeout=2)
    return killed


def kill_group(pgid: int) -> None:
    """SIGKILL a whole process group, if it still exists."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap_zombies() -> None:
    """Collect the exit status of any finished child, so none lingers as a zombie.

    Only for a process that starts no ``multiprocessing`` children itself: it would take their
    exit codes from under ``Process.join``.
    """
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
