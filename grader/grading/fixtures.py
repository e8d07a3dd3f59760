"""The pytest fixtures the checks stand on (loaded into the grading worker as a plugin).

* ``grading``: what is being graded and how (submission, start method, seed, scratch folder).
* ``learner``: the learner's module, imported once per exercise; a failed import fails every check.
* ``observer``: probes and records for one check; afterwards, any process left running is a leak.
* ``rng``: random values, reproducible from the run's seed.
* ``start_cost``: how long starting and joining one process takes here, now, with this start method.
* ``time_limit``: how long a check without a limit of its own may run before it is stopped as hung.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection
import os
import random
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import psutil
import pytest

from grader.catalogue import Exercise
from grader.checks import check_named
from grader.grading import cleanup
from grader.inside import observe, tasks
from grader.inside.tracebacks import is_under, learners_traceback
from grader.messages import Mistake


@dataclass
class Grading:
    """What the worker grades: one exercise of one submission, under one start method."""

    exercise: Exercise
    submission: Path
    start_method: str
    seed: int
    scratch: Path
    registry: observe.ProcessRegistry
    pid: int = field(default_factory=os.getpid)
    # When each call_learner call began and ended (time.monotonic()): the worker reports them to the benchmark.
    learner_calls: list[tuple[float, float]] = field(default_factory=list)
    # The learner host of a hosted exercise (the checker's end of its channel); None: the learner runs here.
    host: Any = None

    def learner_frames_only(self, exc: BaseException) -> str:
        """The traceback of ``exc`` cut down to the frames in the learner's own files."""
        return learners_traceback(exc, self.submission)

    def is_learner_file(self, filename: str) -> bool:
        return is_under(filename, self.submission)


_GRADING: Grading | None = None


def configure(grading: Grading) -> None:
    """Hand the worker's grading settings to the fixtures."""
    global _GRADING
    _GRADING = grading


@pytest.fixture(scope="session")
def grading() -> Grading:
    assert _GRADING is not None, "the grader worker did not configure the fixtures"
    return _GRADING


def _is_timeout(exc: BaseException) -> bool:
    """pytest-timeout's stop, or the learner host's (grader.inside.learner_host.Failed)."""
    return type(exc).__name__ == "Failed" and str(exc).startswith("Timeout")


is_timeout = _is_timeout  # a check that tells a hang of its own by name reads this


@pytest.fixture
def scene(grading: Grading, request: pytest.FixtureRequest, time_limit: float) -> Iterator[Any]:
    """For a hosted exercise: the :class:`~grader.grading.host_channel.Scene` of this check, the learner's
    module imported in the host first; afterwards, a process the host saw left running is a leak."""
    assert grading.host is not None, "a hosted check runs in a checker with a learner host"
    from grader.grading.host_channel import Scene

    check = check_named(request.node.module.__name__, request.node.name)
    limit = check.time_limit or time_limit
    grading.host.prepare(check.title.en, limit)
    played = Scene(grading.host, check.title.en, limit, check.blame)
    yield played
    played.raise_leak()


def module_scene(grading: Grading, title: str, limit: float, blame: str) -> Any:
    """For a hosted exercise's module-scoped fixture (one call that several checks judge): a
    :class:`~grader.grading.host_channel.Scene` named after the first of them; the fixture asks for its
    leak (``raise_leak``) when it ends."""
    assert grading.host is not None, "a hosted check runs in a checker with a learner host"
    from grader.grading.host_channel import Scene

    grading.host.prepare(title, limit)
    return Scene(grading.host, title, limit, blame)


@pytest.fixture
def rng(grading: Grading, request: pytest.FixtureRequest) -> random.Random:
    """Random values for one check, the same again for the same seed."""
    return random.Random(f"{grading.seed}/{request.node.nodeid}")


@pytest.fixture(scope="session")
def start_cost(grading: Grading) -> float:
    """Seconds to start and join one process here, now: the yardstick for patience and bounds."""
    return measure_start_cost(grading)


def measure_start_cost(grading: Grading) -> float:
    """Seconds to start and join one of the grader's processes here, once the one-off costs of a first start
    are paid: multiprocessing's helpers launched, the module that starts processes loaded."""
    start_helpers(grading.start_method)
    context = multiprocessing.get_context(grading.start_method)
    importlib.import_module(_POPEN_MODULES.get(grading.start_method, "multiprocessing.popen_fork"))
    if grading.start_method == "forkserver":
        # The fork server answers its first request once it has loaded its preloads (many times a process's
        # start, which would inflate every patience and delay derived from this): that start is paid first.
        warm_up = context.Process(target=tasks.do_nothing)
        grading.registry.start_unrecorded(warm_up)
        warm_up.join()
    began = time.monotonic()
    # A task from the light grader.inside.tasks: a spawn child then imports what a learner's child
    # imports, not this module (pytest, psutil), which would inflate the cost measured.
    process = context.Process(target=tasks.do_nothing)
    grading.registry.start_unrecorded(process)
    process.join()
    return time.monotonic() - began


# The module of multiprocessing that starts a process by each method, loaded by the first start.
_POPEN_MODULES = {"fork": "multiprocessing.popen_fork", "forkserver": "multiprocessing.popen_forkserver",
                  "spawn": "multiprocessing.popen_spawn_posix" if os.name == "posix" else "multiprocessing.popen_spawn_win32"}


def start_helpers(method: str) -> None:
    """Launch multiprocessing's helpers for ``method`` now (the resource tracker; the fork server under
    forkserver), rather than at the first start. Each is a fresh interpreter that has seen nothing of the
    learner's (the fork server preloads the grader's probes only, see ``worker.FORK_SERVER_PRELOAD``);
    ``fork`` has none. Does nothing for a helper already running."""
    if method not in ("spawn", "forkserver"):
        return
    from multiprocessing import resource_tracker

    if os.name == "posix":  # Windows has no resource tracker
        resource_tracker.ensure_running()
    if method == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


@pytest.fixture(scope="session")
def time_limit(grading: Grading, request: pytest.FixtureRequest) -> float:
    """Seconds a check without a limit of its own may run before it is stopped as hung (the run's --timeout;
    the checker of a hosted exercise runs with ``worker.HOST_GRACE`` more)."""
    from grader.grading.worker import HOST_GRACE

    return float(request.config.getoption("timeout")) - (HOST_GRACE if grading.host is not None else 0.0)


class Observer:
    """Probes and records for one check, in a folder of its own."""

    def __init__(self, grading: Grading, folder: Path) -> None:
        self.grading = grading
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._patches: list[tuple[Any, str, Any]] = []
        self._child_patches: list[tuple[str, str, observe.Probe]] = []

    def probe(self, func: Callable[..., Any], label: str | None = None, bound: dict | None = None,
              rendezvous: observe.Rendezvous | None = None) -> observe.Probe:
        """A recording stand-in for ``func``."""
        return observe.Probe(func, self.folder / "calls", label, bound, rendezvous, self.grading.pid)

    def patch(self, module: Any, name: str, rendezvous: observe.Rendezvous | None = None,
              in_children: bool = False, task: Callable[..., Any] | None = None,
              bound: dict | None = None, probe: observe.Probe | None = None) -> observe.Probe:
        """Replace ``module.name`` by a probe for the rest of the check, so the learner's code calls it
        (``probe``, when given, made by the caller: a learner host's probes show themselves to the witness).

        With ``in_children``, every process started meanwhile puts the probe in place in itself too,
        so calls are seen under spawn and forkserver even when the process's target is not the
        patched function (a helper of the learner's, a ``Process`` subclass, a pool worker).

        With ``task`` (one of :mod:`grader.inside.tasks`, given ``bound`` as keyword arguments), the probe
        runs that task in place of the function, recorded under the function's name; the task
        reaches the learner's own function through :func:`observe.original_function`. Such a patch
        always holds in children too, where the task needs the original as much as here.
        """
        original = getattr(module, name)
        probe = probe or self.probe(task or original, label=name, bound=bound, rendezvous=rendezvous)
        self._patches.append((module, name, original))
        setattr(module, name, probe)
        if task is not None:
            observe.remember_original(module.__name__, name, original)
            in_children = True
        if in_children:
            patch = (module.__name__, name, probe)
            self.grading.registry.child_patches.append(patch)
            self._child_patches.append(patch)
        return probe

    def rendezvous(self, name: str, parties: int, patience: float, booting: float = 0.0) -> observe.Rendezvous:
        """A rendezvous of ``parties`` probes; ``booting``: how much longer than ``patience`` a party waits while
        a sibling process is still starting (:class:`~grader.inside.rendezvous.Rendezvous`)."""
        return observe.Rendezvous(str(self.folder / "rendezvous" / name), parties, patience, booting)

    def calls(self, label: str | None = None) -> list[observe.Call]:
        """The calls recorded so far (of ``label`` only, when given)."""
        return observe.read_calls(self.folder / "calls", label)

    def started(self) -> list[observe.StartedProcess]:
        """The processes the learner's code started during this check."""
        return self.grading.registry.since_mark()

    def restore(self) -> None:
        for module, name, original in reversed(self._patches):
            setattr(module, name, original)
            observe.remember_original(module.__name__, name, None)
        self._patches.clear()
        for patch in self._child_patches:
            self.grading.registry.child_patches.remove(patch)
        self._child_patches.clear()

    def stop_leftovers(self, grace: float, function: str) -> None:
        """Give the check's processes ``grace`` seconds to end, stop the rest, and report them as a leak."""
        left = [e for e in self.started() if e.alive]
        if left:
            multiprocessing.connection.wait([e.process.sentinel for e in left if observe.has_sentinel(e)],
                                            timeout=grace)
        leaked = []
        for entry in left:
            if entry.process.is_alive():
                leaked.append(f"pid {entry.pid} ({entry.name})")
                entry.process.kill()
                entry.process.join(5)
        known = {e.pid for e in self.grading.registry.entries}
        strays = [p for p in cleanup.descendants() if p.pid not in known and not cleanup.is_helper(p)]
        if strays:
            gone, strays = psutil.wait_procs(strays, timeout=grace)
            for proc in strays:
                leaked.append(f"pid {proc.pid}")
                cleanup.kill_tree(proc.pid, include_root=True)
        if leaked:
            raise Mistake("leaked_processes", count=len(leaked), processes=", ".join(leaked), function=function)


def call_learner(grading: Grading, func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """Call the learner's ``func``; return its result and when it was called and returned.

    Turns the learner's errors into mistakes a learner can read: not written yet, too many
    processes, or an exception with the traceback cut to their own code.
    """
    name = getattr(func, "__name__", repr(func))
    began = time.monotonic()
    try:
        try:
            result = func(*args, **kwargs)
        finally:
            grading.learner_calls.append((began, time.monotonic()))
    except NotImplementedError as exc:
        if _raised_in_learner_code(grading, exc):
            raise Mistake("not_implemented", function=name) from None
        raise Mistake("raised", function=name, error="NotImplementedError",
                      traceback=grading.learner_frames_only(exc)) from None
    except observe.TooManyProcesses:
        raise Mistake("too_many_processes", function=name, limit=grading.registry.limit) from None
    except Mistake:
        raise
    except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything, SystemExit too
        if isinstance(exc, KeyboardInterrupt) or _is_timeout(exc):
            raise
        raise Mistake("raised", function=name, error=f"{type(exc).__name__}: {exc}",
                      traceback=grading.learner_frames_only(exc)) from None
    return result, began, time.monotonic()


@dataclass
class PatchedCall:
    """One call of a learner's function made with the grader's patches in place, and what it left."""

    called: float = 0.0
    returned: float = 0.0
    result: Any = None
    failure: Mistake | None = None  # the mistake the call raised, kept for every check that reads it
    parent_cpu: float = 0.0  # CPU seconds the grading process (the caller) used during the call
    started: list[observe.StartedProcess] = field(default_factory=list)  # the processes it started
    alive_at_return: list[observe.StartedProcess] = field(default_factory=list)


def call_patched(grading: Grading, watcher: Observer, func: Callable[..., Any], *args: Any) -> PatchedCall:
    """Call the learner's ``func(*args)`` once with ``watcher``'s patches in place, then take them away.

    For a call that several checks read (a module-scoped fixture): a mistake it raises is kept in
    ``failure`` rather than raised, so that each check can report it.
    """
    before = len(grading.registry.entries)
    record = PatchedCall()
    cpu = time.process_time()
    try:
        record.result, record.called, record.returned = call_learner(grading, func, *args)
        record.alive_at_return = [e for e in grading.registry.entries[before:] if e.alive]
    except Mistake as mistake:
        record.failure = mistake
    finally:
        record.parent_cpu = time.process_time() - cpu
        watcher.restore()
    record.started = list(grading.registry.entries[before:])
    return record


def _raised_in_learner_code(grading: Grading, exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and grading.is_learner_file(frames[-1].filename)
