"""What one exercise's grading may use, and the watchdog that holds the learner's processes to it.

Two layers, because neither is enough alone:

* **Per process, by the kernel** (:func:`apply_in_worker`, in the worker before the learner's
  module is imported; inherited by every process it forks or spawns, through ``exec`` too):
  ``RLIMIT_AS`` turns one huge allocation into a ``MemoryError`` at once, ``RLIMIT_FSIZE`` makes a
  write past the file size limit fail (``SIGXFSZ`` is ignored, so the process gets ``OSError``
  ``EFBIG`` instead of dying unexplained), ``RLIMIT_CPU`` stops a spin that outlives the grading.
  ``RLIMIT_NPROC`` counts a user's processes system-wide and does nothing for root, so it is
  only a backstop, set for other users.
* **Per exercise, by the runner** (:class:`Watchdog`, a trusted process the learner's code never
  runs in): a few times a second it reads from the OS the worker's whole process tree (every
  descendant, however it was started: ``Process``, ``os.fork``, ``subprocess``, orphans
  re-parented to the subreaper worker) and sums its memory (RSS; past the limit, PSS where Linux
  gives it, so that pages shared after ``fork`` count once), counts its processes, sums its CPU time (reaped
  children's time included) and measures the output log. The first limit passed is a
  :class:`Breach`: the runner kills the tree and fails the check that was running with it.

Every default is far above what any solution, variant or case needs under any start method
(measured peaks are in the commit messages); a teacher can change them (``MP_KIT_LIMITS``,
:func:`from_environment`).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

import psutil

from grader.grading import cleanup

# The units of /proc/PID/stat's resident pages and CPU times.
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

MIB = 1024 * 1024
GIB = 1024 * MIB

# A teacher's own limits: JSON, e.g. {"memory": 2147483648, "processes": 200} (only the keys to change).
ENVIRONMENT_VARIABLE = "MP_KIT_LIMITS"

# How often the runner reads the worker's process tree, in seconds: often enough that a list
# growing as fast as CPython can grow one passes the memory limit by little before it is stopped.
POLL_INTERVAL = 0.05


@dataclass(frozen=True)
class Limits:
    """What one exercise's grading may use, summed over all of the learner's processes unless said."""

    memory: int = 1 * GIB  # bytes resident, the whole tree
    processes: int = 150  # processes alive at once in the tree (the worker's helpers included)
    file_size: int = 256 * MIB  # bytes, any one file written (per process, by the kernel)
    output: int = 16 * MIB  # bytes printed by the learner's code and its children
    cpu: float = 300.0  # CPU seconds, the whole tree

    def with_changes(self, changes: Mapping[str, Any]) -> "Limits":
        """These limits with ``changes`` applied; ValueError for an unknown name or a value that is not positive."""
        known = {f.name: f.type for f in fields(self)}
        unknown = set(changes) - set(known)
        if unknown:
            raise ValueError(f"unknown limit(s) {sorted(unknown)}; known: {sorted(known)}")
        checked: dict[str, Any] = {}
        for name, value in changes.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"limit {name} must be a positive number, not {value!r}")
            checked[name] = float(value) if name == "cpu" else int(value)
        return replace(self, **checked)

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def from_environment(environ: Mapping[str, str] | None = None) -> Limits:
    """The defaults, changed by ``MP_KIT_LIMITS`` (JSON) where a teacher set it; ValueError if it is not valid."""
    text = (os.environ if environ is None else environ).get(ENVIRONMENT_VARIABLE, "").strip()
    if not text:
        return Limits()
    try:
        changes = json.loads(text)
    except json.JSONDecodeError as problem:
        raise ValueError(f"{ENVIRONMENT_VARIABLE} is not JSON: {problem}") from None
    if not isinstance(changes, dict):
        raise ValueError(f"{ENVIRONMENT_VARIABLE} must be a JSON object such as {{\"memory\": 2147483648}}")
    return Limits().with_changes(changes)


@dataclass(frozen=True)
class Breach:
    """A limit passed: the message key and the values its message shows."""

    key: str
    values: dict[str, Any]


def _size(n: float) -> str:
    """A byte count as people write it: 1 GiB, 256 MiB."""
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{int(n)} B"


# Headroom of the per-process address-space cap over the tree's memory limit: a Python process
# maps far more than it uses (thread stacks, malloc arenas), and the watchdog is the exact layer.
ADDRESS_SPACE_HEADROOM = 1 * GIB


def apply_in_worker(limits: Limits) -> list[str]:
    """Set this process's kernel limits (inherited by every process it starts); return those that could not be set.

    Call in the worker before the learner's module is imported.
    """
    if not hasattr(os, "fork"):  # Windows: no resource module; the runner's watchdog still holds
        return ["address space", "file size", "cpu", "processes"]
    import resource

    missing = []
    wanted = [
        ("address space", "RLIMIT_AS", limits.memory + ADDRESS_SPACE_HEADROOM),
        ("file size", "RLIMIT_FSIZE", limits.file_size),
        ("cpu", "RLIMIT_CPU", int(limits.cpu) + 1),
    ]
    if os.geteuid() != 0:
        # Counts every process of this user, the learner's desktop included: a backstop against
        # a fork flood faster than the watchdog, set well above what the user runs now.
        wanted.append(("processes", "RLIMIT_NPROC", _user_processes() + 4 * limits.processes))
    for label, name, value in wanted:
        which = getattr(resource, name, None)
        if which is None:
            missing.append(label)
            continue
        try:
            _, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):
            missing.append(label)
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    return missing


def _user_processes() -> int:
    uid = os.getuid()
    count = 0
    for proc in psutil.process_iter(["uids"]):
        uids = proc.info.get("uids")
        if uids is not None and uids.real == uid:
            count += 1
    return count


class Watchdog:
    """Reads the process tree of one worker from the OS and says when it passes a limit.

    Runs in the runner, never in a process of the learner. :meth:`check` is cheap (one pass over
    ``/proc`` for the tree, one small read per process), so the runner calls it between waits.
    """

    def __init__(self, worker_pid: int, limits: Limits, output_log: Path) -> None:
        self.limits = limits
        self.output_log = output_log
        self.peak = {"memory": 0, "processes": 0, "cpu": 0.0, "output": 0}
        try:
            self._root: psutil.Process | None = psutil.Process(worker_pid)
        except psutil.NoSuchProcess:
            self._root = None
        self._pss = sys.platform.startswith("linux") and os.path.exists("/proc/self/smaps_rollup")
        self._proc_children = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
        self._known: dict[int, psutil.Process] = {}
        # Without the children files, one pass over every /proc/PID/stat finds the tree and measures it too.
        self._one_pass = not self._proc_children and cleanup.PROC_STAT

    def check(self) -> Breach | None:
        """Measure the tree once; the first limit it passes, or None."""
        if self._root is None:
            return None
        measured = self._measure_from_proc_stats() if self._one_pass else self._measure()
        if measured is None:
            return None
        stopped, memory, cpu, alive = measured
        if stopped:
            # The worker is in a session of its own: no terminal's Ctrl-Z reaches it, only a signal someone sent.
            return Breach("tampered", {"what": "the grading process was stopped by a signal (SIGSTOP)"})
        if memory > self.limits.memory and self._pss:
            # RSS counts a page shared after fork once per process: an upper bound, cheap to read. Only
            # when it passes the limit is the exact share (PSS, a walk of each process's page tables) read.
            memory = sum(self._pss_of(proc) for proc in self._processes(alive))
        try:
            output = self.output_log.stat().st_size
        except OSError:
            output = 0
        peak = self.peak
        peak["memory"] = max(peak["memory"], memory)
        peak["processes"] = max(peak["processes"], len(alive))
        peak["cpu"] = max(peak["cpu"], cpu)
        peak["output"] = max(peak["output"], output)
        limits = self.limits
        if memory > limits.memory:
            return Breach("memory_limit", {"limit": _size(limits.memory), "used": _size(memory)})
        if len(alive) > limits.processes:
            return Breach("process_limit", {"limit": limits.processes, "count": len(alive)})
        if output > limits.output:
            return Breach("output_limit", {"limit": _size(limits.output)})
        if cpu > limits.cpu:
            return Breach("cpu_limit", {"limit": f"{limits.cpu:g}"})
        return None

    def _measure(self) -> tuple[bool, int, float, list[psutil.Process]] | None:
        """Whether the worker is stopped, and the tree's resident memory, CPU seconds and processes, through psutil."""
        assert self._root is not None
        tree = self._tree()
        if not tree:
            return None
        try:
            stopped = self._root.status() == psutil.STATUS_STOPPED
        except psutil.Error:
            stopped = False
        memory = 0
        cpu = 0.0
        alive = []
        for proc in tree:
            try:
                memory += proc.memory_info().rss
                times = proc.cpu_times()
                cpu += times.user + times.system + times.children_user + times.children_system
                alive.append(proc)
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
        return stopped, memory, cpu, alive

    def _measure_from_proc_stats(self) -> tuple[bool, int, float, list[int]] | None:
        """:meth:`_measure` from the one pass over ``/proc`` that finds the tree: each process's stat line
        also holds its state, CPU times and resident pages (what psutil reads them from, one file each)."""
        assert self._root is not None
        stats = cleanup.proc_stats()
        root = stats.get(self._root.pid)
        if root is None:
            return None
        tree = [self._root.pid, *cleanup.descendant_pids(self._root.pid, zombies=True, stats=stats)]
        memory = sum(stats[pid].rss_pages for pid in tree) * _PAGE_SIZE
        cpu = sum(stats[pid].cpu_ticks for pid in tree) / _CLOCK_TICKS
        return root.state == b"T", memory, cpu, tree

    def _processes(self, alive: list[psutil.Process] | list[int]) -> list[psutil.Process]:
        procs = []
        for proc in alive:
            try:
                procs.append(proc if isinstance(proc, psutil.Process) else psutil.Process(proc))
            except psutil.NoSuchProcess:
                continue
        return procs

    def _tree(self) -> list[psutil.Process]:
        """The worker and all its descendants now.

        On Linux read from each process's own ``/proc/PID/task/TID/children`` (a walk of the tree
        alone: psutil's ``children(recursive=True)`` reads every process of the machine, 16 ms on a
        busy one); elsewhere psutil's. (A Linux kernel without these files: see :meth:`_measure_from_proc_stats`.)
        """
        assert self._root is not None
        if self._proc_children:
            pids = self._pids_from_children_files()
        else:
            try:
                return [self._root, *self._root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return []
        tree = []
        for pid in pids:
            try:
                tree.append(self._known[pid] if pid in self._known else self._known.setdefault(pid, psutil.Process(pid)))
            except psutil.NoSuchProcess:
                continue
        return tree

    def _pids_from_children_files(self) -> list[int]:
        assert self._root is not None
        pids = [self._root.pid]
        for pid in pids:  # grows as the walk finds children
            try:
                threads = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for thread in threads:
                try:
                    with open(f"/proc/{pid}/task/{thread}/children", encoding="ascii") as listing:
                        pids.extend(int(child) for child in listing.read().split())
                except (OSError, ValueError):
                    continue
        return pids

    @staticmethod
    def _pss_of(proc: psutil.Process) -> int:
        try:
            return int(proc.memory_full_info().pss)
        except psutil.AccessDenied:
            return int(proc.memory_info().rss)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return 0


def breach_after_exit(exitcode: int | None, limits: Limits) -> Breach | None:
    """What the worker's exit status says the kernel stopped it for (a CPU or file size limit), if anything."""
    if exitcode is not None and hasattr(signal, "SIGXCPU") and exitcode == -signal.SIGXCPU:
        return Breach("cpu_limit", {"limit": f"{limits.cpu:g}"})
    return None


def wrote_to_the_limit(scratch: Path, limits: Limits) -> Breach | None:
    """A file in ``scratch`` that reached the file size limit: a write past it failed there."""
    for folder, _, files in os.walk(scratch):
        for name in files:
            try:
                if os.lstat(os.path.join(folder, name)).st_size >= limits.file_size:
                    return Breach("file_size_limit", {"limit": _size(limits.file_size), "file": name})
            except OSError:
                continue
    return None
