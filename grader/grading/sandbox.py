"""Grading someone else's code: the whole grader run inside a bubblewrap sandbox (Linux).

``python -m grader PATH --sandbox`` runs itself again inside ``bwrap``: no network (a network
namespace of its own, with only a loopback nobody listens on), its own pids, the whole file
system read-only, the teacher's home hidden behind an empty private one, a private ``/tmp`` (a
folder on disk the sandbox's scratch lives in, so the limits' disk and memory accounting holds),
and writable only the folders its reports go to. The submission is read-only, the kit too.
The gradebook, Gradescope's ``run_autograder`` and the Classroom workflow always pass
``--sandbox``.

Where bwrap is missing or refused, the grading goes on without it and says so on stderr (a line
starting :data:`NOT_IN_FORCE`): which protections are in force then and which are not. As root
(Docker's default seccomp profile refuses root in a container every namespace: Gradescope) the
grader then runs as a fresh unprivileged user instead (:mod:`grader.grading.unprivileged`); on
Linux, root or not (Ubuntu 24.04's AppArmor refuses unprivileged users their namespaces), a seccomp
filter refuses it every socket but a local one (:mod:`grader.grading.no_network`); on macOS and
Windows only the limits and tamper evidence hold.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from grader import KIT_ROOT
from grader.grading import no_network, unprivileged

# Set inside the sandbox, so that the grader there does not try to enter it again.
INSIDE = "MP_KIT_SANDBOXED"

# The start of the line on stderr that says the sandbox did not run (the gradebook notes it per submission).
NOT_IN_FORCE = "sandbox: not in force"

ALWAYS = "limits (memory, processes, file size, output, CPU) and tamper evidence"

# On the same line, when the grading ran as a user of its own instead (root without namespaces: Gradescope).
AS_ANOTHER_USER = "as another user"
# And when sockets were refused by seccomp instead of a network namespace.
NO_NETWORK = "no network"


@functools.lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why the sandbox cannot run here, or None when it can (tried once per process)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap runs on Linux only (this is {sys.platform})"
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed (apt-get install bubblewrap)"
    try:
        trial = subprocess.run([bwrap, *_isolation(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                                "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return f"bwrap could not run: {problem}"
    if trial.returncode != 0:
        return f"bwrap was refused here: {trial.stderr.strip()[:200] or trial.returncode}"
    return None


def what_runs_instead() -> str | None:
    """None where the sandbox runs here; else the line on stderr that says why not and which protections hold instead."""
    reason = unavailable()
    if reason is None:
        return None
    in_force = [ALWAYS]
    missing = ["read-only file system", "private home and /tmp"]
    if no_network.works_here():
        in_force.append(f"{NO_NETWORK}: a seccomp filter refuses every socket but AF_UNIX")
    else:
        missing.insert(0, f"no network ({no_network.unavailable() or 'the seccomp filter was refused'})")
    why_not_another_user = unprivileged.unavailable(_imported_from())
    if why_not_another_user is None:
        in_force.append(f"{AS_ANOTHER_USER}: {unprivileged.HELD}")
        missing = ["a private /tmp", "a file system hidden from reading", *missing[:-2]]
    else:
        missing.append(f"another user ({why_not_another_user})")
    return f"{NOT_IN_FORCE} ({reason}). In force: {'; '.join(in_force)}. Not in force: {', '.join(missing)}."


def _isolation() -> list[str]:
    return ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
            "--new-session"]


def _readable_roots() -> list[Path]:
    """What the grader must read inside the sandbox even where it lives in a hidden home: the kit, Python."""
    found = {KIT_ROOT.resolve(), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(sys.executable).resolve().parent}
    for entry in sys.path:
        if entry and os.path.isdir(entry):
            found.add(Path(entry).resolve())
    return sorted(found)


def _imported_from() -> list[Path]:
    """What the grader run as another user must read: the kit, Python, and each folder on ``sys.path`` a
    loaded module came from (not the folder it was started in, which the grader inside never needs)."""
    found = {KIT_ROOT.resolve(), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(sys.executable).resolve().parent}
    entries = {os.path.join(os.path.abspath(entry), "") for entry in sys.path if entry and os.path.isdir(entry)}
    used = set()
    for module in list(sys.modules.values()):
        where = getattr(module, "__file__", None)
        if where:
            where = os.path.abspath(where)
            used.update(entry for entry in entries if where.startswith(entry))
    return sorted(found | {Path(entry).resolve() for entry in used})


def hidden_homes() -> list[Path]:
    """Folders whose content the sandbox hides: the user's home, every home on the machine, root's."""
    found = {Path.home()}
    for candidate in ("/home", "/root", "/Users"):
        if os.path.isdir(candidate):
            found.add(Path(candidate))
    return sorted(p.resolve() for p in found)


def command(argv: Sequence[str], box: Path, readable: Sequence[Path], writable: Sequence[Path]) -> list[str]:
    """``argv`` wrapped in bwrap: ``box`` holds the private home and /tmp; ``readable`` (the submission)
    are visible read-only even inside a hidden home, ``writable`` (report folders) read-write."""
    home, tmp = box / "home", box / "tmp"
    home.mkdir(parents=True, exist_ok=True)
    tmp.mkdir(parents=True, exist_ok=True)
    wrapped = [shutil.which("bwrap") or "bwrap", *_isolation(), "--ro-bind", "/", "/", "--dev", "/dev",
               "--proc", "/proc"]
    for hidden in hidden_homes():
        wrapped += ["--tmpfs", str(hidden)]
    user_home = str(Path.home())
    # Order matters: each mount covers what is under it. The private home and /tmp first, then what
    # must stay visible inside them (the kit, Python), the report folders, and last the submission,
    # read-only even where it lies inside a report folder.
    wrapped += ["--bind", str(home), user_home, "--bind", str(tmp), "/tmp"]
    for root in _readable_roots():
        wrapped += ["--ro-bind", str(root), str(root)]
    for folder in writable:
        folder = Path(folder).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        wrapped += ["--bind", str(folder), str(folder)]
    for root in readable:
        wrapped += ["--ro-bind", str(Path(root).resolve()), str(Path(root).resolve())]
    wrapped += ["--setenv", "HOME", user_home, "--setenv", "TMPDIR", "/tmp", "--setenv", INSIDE, "1",
                "--chdir", str(KIT_ROOT.resolve()), "--", *argv]
    return wrapped


def arguments_for(options: argparse.Namespace) -> tuple[list[str], list[Path]]:
    """``python -m grader``'s arguments for the grading ``options`` ask for, every path absolute (the
    sandbox starts in the kit's folder), and the report files among them."""
    args = [str(Path(options.path).resolve())]
    outputs = []
    for flag in ("json", "junit", "classroom", "record"):
        target = getattr(options, flag, None)
        if target is not None:
            outputs.append(Path(target).resolve())
            args += [f"--{flag}", str(outputs[-1])]
    for name in options.only:
        args += ["--only", name]
    for flag, value in (("--start-method", options.start_method), ("--lang", options.lang),
                        ("--seed", options.seed), ("--timeout", options.timeout)):
        if value is not None:
            args += [flag, str(value)]
    return args, outputs


def inside() -> bool:
    return os.environ.get(INSIDE) == "1"


def run_inside(options: argparse.Namespace) -> int | None:
    """Grade as ``options`` say, inside the sandbox, and return the grader's exit status.

    None when the sandbox cannot run here: the caller grades without it (a note on stderr says so).
    The folders of the report files asked for are the only ones writable.
    """
    grader_args, outputs = arguments_for(options)
    submission = Path(options.path).resolve()
    env_path = os.pathsep.join([str(KIT_ROOT.resolve()), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
    instead = what_runs_instead()
    if instead is not None:
        print(instead, file=sys.stderr)
        sys.stderr.flush()
        without_network = NO_NETWORK in instead
        if AS_ANOTHER_USER not in instead:
            if without_network:
                no_network.block()  # this process grades, and everything it starts inherits the filter
            return None
        for output in outputs:
            output.parent.mkdir(parents=True, exist_ok=True)
        return _died_of_the_same(unprivileged.run(grader_args, submission, outputs, os.environ,
                                                  {INSIDE: "1", "PYTHONPATH": env_path}, without_network))
    with tempfile.TemporaryDirectory(prefix="mp-sandbox-") as box:
        argv = [sys.executable, "-m", "grader", *grader_args]
        wrapped = command(argv, Path(box), [submission.resolve()], sorted({Path(o).resolve().parent for o in outputs}))
        proc = subprocess.Popen(wrapped, env={**os.environ, "PYTHONPATH": env_path})
        try:
            status = proc.wait()
        except KeyboardInterrupt:
            proc.kill()  # --die-with-parent and the pid namespace take everything inside with it
            proc.wait()
            raise
    return _died_of_the_same(status)


def _died_of_the_same(status: int) -> int:
    """``status``, or death by the signal the grader inside died of (bwrap says 128 + N, Popen -N)."""
    if status < 0:
        status = 128 - status
    if 128 < status < 128 + signal.NSIG:
        # bwrap exits 128 + N when the grader inside died of signal N: die of it too, so that whoever
        # runs this (the gradebook, CI) sees what it would see without the sandbox.
        try:
            signal.signal(status - 128, signal.SIG_DFL)
        except (OSError, ValueError):  # SIGKILL and SIGSTOP have no handler to reset
            pass
        os.kill(os.getpid(), status - 128)
    return status
