"""The resident memory of the process that copies a file, as the operating system counts it.

A copy made in a child (ex09's ``copy_file`` in a process of its own, ex10's pool task) is
measured where it runs: :func:`learner_function_measured` stands in for the learner's function (in
a probe, like :func:`grader.inside.tasks.learner_function_as_told`) and, for the call about the
one large file, writes how far that process's resident peak rose during the call. The kernel sees
what the Python heap does not (a file mapped whole, a buffer of a C extension), and a copy the
kernel makes (``sendfile`` in ``shutil``) costs the process nothing, so the figure says what the
learner's code held, not how the bytes got across.

Written by the process measured, the figure is within the learner's reach: for ex09, graded across
the trust boundary, it can only add to the kernel's peak that the checker reads itself through the
witness (:meth:`grader.grading.witness.Witness.measuring`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Callable

from grader.inside import tasks


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def _hand_back_free_memory() -> None:
    """Return the C heap's free pages to the OS (glibc's ``malloc_trim``), where there is such a call.

    A forked child inherits its parent's heap, freed blocks included, resident: a file read whole
    into such a block raises no resident figure at all (seen: a 14 MiB read() under fork, growth
    0). Handed back first, every page the call fills counts again.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here, not at the top: only the one process measured pays for it

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc (musl): nothing to hand back this way
        pass


def resident_growth(run: Callable[[], object]) -> int | None:
    """Run ``run()``; return how far this process's resident peak rose above its resident size at
    the start, in bytes; None where the OS does not tell (no ``/proc/self/clear_refs``).

    Writing 5 to clear_refs resets the peak (VmHWM) to the current resident size, so the peak read
    afterwards is this call's alone, whatever the process did before.
    """
    _hand_back_free_memory()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        before = _status_kib("VmRSS")
    except OSError:
        run()
        return None
    run()
    return (_status_kib("VmHWM") - before) * 1024


def _about(name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> bool:
    """Whether a call's arguments name the file ``name`` (alone, or as the last part of a path)."""
    own = [value for key, value in kwargs.items() if not key.startswith("grader_")]
    for value in (*args, *own):
        if isinstance(value, (str, bytes, os.PathLike)) and os.path.basename(os.fsdecode(value)) == name:
            return True
    return False


def read_growths(folder: Path) -> list[tuple[int, int]]:
    """(pid, bytes) for every measured call written into ``folder`` (none when nothing was measured)."""
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record.get("growth"), int) and isinstance(record.get("pid"), int):
            found.append((record["pid"], record["growth"]))
    return found


def learner_function_measured(*args: object, grader_measure_for: str, grader_measure_into: str,
                              **kwargs: object) -> object:
    """:func:`grader.inside.tasks.learner_function_as_told` (``kwargs`` are its settings), and, for a
    call in a child about the file ``grader_measure_for``, the growth of this process's resident
    peak during the call, written as JSON into the folder ``grader_measure_into``."""
    if multiprocessing.parent_process() is None or not _about(grader_measure_for, args, kwargs):
        return tasks.learner_function_as_told(*args, **kwargs)
    result: list[object] = []
    growth = resident_growth(lambda: result.append(tasks.learner_function_as_told(*args, **kwargs)))
    folder = Path(grader_measure_into)
    folder.mkdir(parents=True, exist_ok=True)
    record = {"pid": os.getpid(), "growth": growth}
    (folder / f"{os.getpid()}-{os.urandom(4).hex()}.json").write_text(json.dumps(record), encoding="utf-8")
    return result[0]
