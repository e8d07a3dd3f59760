"""Where bubblewrap cannot run but the grader is root (Gradescope's container): the grading as a user of its own.

Docker's default seccomp profile refuses every namespace to root in a container, so bwrap cannot
start there; what the container does give root is the right to change its user. The grader (and
with it the learner's code) then runs as a fresh uid and gid that no account and no running process
has, chosen per grading (PrairieLearn's model), with no supplementary groups:

* the file system's own permissions keep it from everything not open to all: root's home (the
  teacher's or the autograder's), the results folder, the grader's own files, the submission's copy
  (read-only to it), the caller's processes (no signal, no ptrace, no ``/proc/PID/environ``);
* the only folder of its own is this grading's box (its home, ``TMPDIR``, its reports): the kernel
  lets it write elsewhere only where everyone may (``/tmp``, ``/var/tmp``, ``/dev/shm``), and what it
  leaves there is deleted afterwards;
* its environment is the grader's settings only (no token or key of the caller's);
* ``RLIMIT_NPROC`` now counts this user's processes alone: a real cap on a fork flood;
* every process of that uid is killed when the grading ends, wherever it was re-parented to.

Not given without namespaces: a private ``/tmp``, a file system hidden from reading (what everyone
may read, it may read). The network is refused by seccomp instead (:mod:`grader.grading.no_network`).

The grader inside writes its reports into the box; this process copies each one to where it was
asked for while the grading runs and after, reading them without following links and only as
regular files of bounded size (the learner's code could have replaced them by anything).
"""

from __future__ import annotations

import grp
import os
import pwd
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping, Sequence

import psutil

from grader.grading import no_network

# The fresh uids are drawn from here: far above what distributions give accounts (1000+), systemd's
# dynamic users (61184-65519) and the usual subordinate ranges of containers (100000+, 65536 wide each).
UID_RANGE = (1_500_000_000, 2_000_000_000)

# The environment the grader inside keeps: its own settings and the locale, nothing of the caller's secrets.
KEPT_ENVIRONMENT = ("PATH", "LANG", "LANGUAGE", "TERM", "TZ", "NO_COLOR", "FORCE_COLOR", "COLUMNS")
KEPT_PREFIXES = ("LC_", "PYTHON", "MP_", "GRADER_")

# Where every user may write: what the graded code leaves there is deleted after the grading.
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")

# The largest report copied back: far above any real report (a record of every check is ~100 KiB).
REPORT_LIMIT = 64 * 1024 * 1024

# How often reports are copied back while the grading runs, in seconds: a grader killed midway
# (the gradebook's time limit) still leaves the report of the exercises graded so far.
SYNC_INTERVAL = 0.25

HELD = ("the learner's code ran as an unprivileged user of its own: homes, the results, the grader's files "
        "and other processes out of its reach; writable only its scratch and the folders open to all")


def unavailable(readable: Sequence[Path]) -> str | None:
    """Why the grading cannot run as a user of its own here, or None when it can.

    It can where this process is root on a POSIX system and everything it must read (``readable``:
    the kit, Python, the imported packages) is readable by any user.
    """
    if not hasattr(os, "geteuid") or not sys.platform.startswith("linux"):
        return f"no users to switch to on {sys.platform}"
    if os.geteuid() != 0:
        return "the grader is not root, so it cannot run the learner's code as another user"
    for root in readable:
        blocked = _closed_to_others(Path(root))
        if blocked is not None:
            return f"{blocked} is not readable by other users"
    return None


def _closed_to_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` (``path`` included) that a user with no rights on it cannot read."""
    path = path.resolve()
    for ancestor in reversed([path, *path.parents]):
        try:
            mode = os.stat(ancestor).st_mode
        except OSError:
            return ancestor
        needed = stat.S_IXOTH | (stat.S_IROTH if ancestor == path else 0)
        if stat.S_ISDIR(mode) and mode & needed != needed:
            return ancestor
    return None


def fresh_uid() -> int:
    """A uid (used as the gid too) that no account, group or running process has."""
    in_use = set()
    for proc in psutil.process_iter(["uids"]):
        uids = proc.info.get("uids")
        if uids is not None:
            in_use.update(uids)
    generator = random.SystemRandom()
    while True:
        uid = generator.randrange(*UID_RANGE)
        if uid in in_use:
            continue
        try:
            pwd.getpwuid(uid)
            continue
        except KeyError:
            pass
        try:
            grp.getgrgid(uid)
            continue
        except KeyError:
            return uid


def environment(environ: Mapping[str, str], home: Path, tmp: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The grader's environment inside: the settings kept from ``environ``, a home and ``TMPDIR`` of its own."""
    kept = {name: value for name, value in environ.items()
            if name in KEPT_ENVIRONMENT or name.startswith(KEPT_PREFIXES)}
    return {**kept, "HOME": str(home), "TMPDIR": str(tmp), "USER": "learner", "LOGNAME": "learner", **extra}


def run(argv_after_python: Sequence[str], submission: Path, outputs: Sequence[Path], environ: Mapping[str, str],
        extra_environment: Mapping[str, str], without_network: bool) -> int:
    """Run ``python -m grader`` with ``argv_after_python`` as a fresh unprivileged user; return its exit status.

    ``submission`` is copied into the box (read-only to that user) and stands for itself in the
    arguments; each of ``outputs`` is written by the grader inside into the box and copied to its
    place here. ``without_network``: the grader inside starts under :func:`no_network.block`. Nothing of that user is left running or lying in a shared folder afterwards.
    """
    uid = fresh_uid()
    box = Path(tempfile.mkdtemp(prefix="mp-unprivileged-"))
    try:
        os.chmod(box, 0o711)  # others may pass through to their folder, never list or write
        copy = _read_only_copy(submission, box / "submission")
        own = box / "learner"
        for folder in (own, own / "home", own / "tmp", own / "reports"):
            folder.mkdir(mode=0o700)
            os.chown(folder, uid, uid)
        inside = {Path(target): own / "reports" / f"{index}-{Path(target).name}" for index, target in enumerate(outputs)}
        argv = [str(copy) if arg == str(submission) else str(inside.get(Path(arg), arg)) for arg in argv_after_python]
        proc = subprocess.Popen([sys.executable, "-m", "grader", *argv], cwd=own,
                                env=environment(environ, own / "home", own / "tmp", extra_environment),
                                user=uid, group=uid, extra_groups=[], umask=0o077,
                                preexec_fn=no_network.block if without_network else None)
        try:
            while True:
                try:
                    status = proc.wait(SYNC_INTERVAL)
                    break
                except subprocess.TimeoutExpired:
                    _copy_reports(inside)
        finally:
            if proc.returncode is None:
                proc.kill()
                proc.wait()
            kill_all_of(uid)
            _copy_reports(inside)
            remove_leftovers(uid)
    finally:
        shutil.rmtree(box, ignore_errors=True)
    return status


def _read_only_copy(submission: Path, dest: Path) -> Path:
    """``submission`` copied to ``dest``, owned by root and readable by all (links kept as links, never followed)."""
    shutil.copytree(submission, dest, symlinks=True)
    for folder, _, files in os.walk(dest):
        os.chmod(folder, 0o755)
        for name in files:
            target = os.path.join(folder, name)
            if not os.path.islink(target):
                os.chmod(target, 0o644)
    return dest


def _copy_reports(inside: Mapping[Path, Path]) -> None:
    """Copy each report written inside to its target, if it is a regular file of bounded size (links not followed)."""
    for target, written in inside.items():
        try:
            fd = os.open(written, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > REPORT_LIMIT:
                continue
            if target.exists() and target.stat().st_mtime_ns == info.st_mtime_ns and target.stat().st_size == info.st_size:
                continue
            with os.fdopen(os.dup(fd), "rb") as source:
                data = source.read(REPORT_LIMIT + 1)
        finally:
            os.close(fd)
        if len(data) > REPORT_LIMIT:
            continue
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        os.utime(partial, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(partial, target)


def kill_all_of(uid: int, rounds: int = 50) -> None:
    """SIGKILL every process of ``uid``, wherever it was re-parented to.

    A child of this process takes that uid and calls ``kill(-1)``, which reaches exactly the processes
    whose real or saved uid is its own; repeated until none is left but zombies (one may fork between
    two calls, and a zombie waits for a parent that may never reap it: pid 1 of a container).
    """
    for _ in range(rounds):
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                for _ in range(3):
                    os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        if not running_as(uid):
            return
        time.sleep(0.01)


def running_as(uid: int) -> list[int]:
    """The pids of the processes of ``uid`` that still run (zombies are over)."""
    found = []
    for proc in psutil.process_iter(["uids", "status"]):
        uids = proc.info.get("uids")
        if uids is not None and uid in (uids.real, uids.effective) and proc.info.get("status") != psutil.STATUS_ZOMBIE:
            found.append(proc.pid)
    return found


def remove_leftovers(uid: int) -> None:
    """Delete what ``uid`` left in the folders everyone may write to (its own files and folders, at the top)."""
    for shared in SHARED_WRITABLE:
        try:
            entries = list(os.scandir(shared))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                continue
