"""Checks of ex10_copy_folder_pool: ``copy_folder_pool(source_dir, dest_dir, workers=4) -> int``.

The contract fixes only ``copy_folder_pool``: the learner may copy with a function of their own
(``copy_one`` or another), or hand ``shutil.copy2`` straight to the pool. So the processes are
observed by the registry (every process started, with its start and end), and the learner's own
top-level functions are replaced by probes, in their module and in every process started, to
see which process ran each copy when they are used. Where the check needs it, those probes hold
each copy (a rendezvous, so that copies outlast the start of processes; a gate, so that a failed
copy reaches the caller before the others are made).
A copy is made to fail, whatever does the copying, by a folder standing where the copy must go.
"""

from __future__ import annotations

import collections
import inspect
import multiprocessing
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from grader.grading import fixtures
from grader.grading.caller_stuck import CallerStuck, grace_after_settled
from grader.grading.failure_gate import FailureGate
from grader.grading.fixtures import Grading, Observer, call_learner
from grader.inside import gates, resident, tasks
from grader.inside.observe import DIRECT_CALL, IN_NEW_PROCESS, IN_THREAD, Rendezvous, max_alive_at_once

from ..messages import Mistake
from . import check, copy_data, machine
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use
from .folder_copy_run import large_file_held

FUNCTION = "copy_folder_pool"

# A correct copier meets the failing copy in well under a second, even under spawn with both
# cores busy (measured: 0.2-0.9 s). The copies held at the failure gate wait at most this long.
FAILURE_TIMEOUT = 10.0
# The failure check's own limit: a caller that waits for ever once every copy has ended is stopped
# as soon as that is known (grader.grading.caller_stuck); this is the last resort for a wait no
# wrapper sees, past the gate's patience, with room for the grace that follows it.
FAILURE_CHECK_LIMIT = 2 * FAILURE_TIMEOUT

# A pool copies the tree in about a second; code that starts a process per file, a batch of
# workers at a time (correct, if slow), needs tens of seconds under spawn with both cores busy.
TREE_TIMEOUT = 60.0

FOLDER_NAMES = ("照片", "2024 旅行", "docs", "a b c", "深层", "raw data", "备份 (old)")

from .pool_copy_texts import MESSAGES  # noqa: E402,F401 - the plugin reads a check module's MESSAGES


@pytest.fixture(scope="module")
def start_call(grading: Grading) -> float:
    """Seconds the caller spends in one start() here, now: how fast process-per-file code starts them."""
    process = multiprocessing.get_context(grading.start_method).Process(target=tasks.do_nothing)
    began = time.monotonic()
    grading.registry.start_unrecorded(process)
    took = time.monotonic() - began
    process.join()
    return took


@dataclass
class PoolCopy:
    """How one call of copy_folder_pool ended: what it returned or the mistake it raised."""

    result: Any
    raised: Mistake | None
    snapshot: Any = None  # what the check looked at the moment the call ended

    @property
    def cause(self) -> BaseException | None:
        return self.raised.__context__ if self.raised is not None else None

    def error_text(self) -> str:
        cause = self.cause
        return f"{type(cause).__name__}: {cause}"[:300] if cause is not None else ""

    def expect_no_error(self) -> None:
        if self.raised is not None:
            raise self.raised


def _run(grading: Grading, learner: Any, source: Path, dest: Path, workers: int,
         look: Callable[[], Any] | None = None) -> PoolCopy:
    """Call copy_folder_pool(source, dest, workers); ``look`` sees the files the moment it has ended."""
    try:
        # More CPUs than workers, on every machine: a pool sized by the machine, not by workers, always shows.
        with machine.cpus_seen(workers + 3):
            result, _, _ = call_learner(grading, learner.copy_folder_pool, str(source), str(dest), workers)
        outcome = PoolCopy(result, None)
    except Mistake as mistake:
        if mistake.key in ("not_implemented", "cannot_pickle"):
            raise
        outcome = PoolCopy(None, mistake)
    if look is not None:
        outcome.snapshot = look()
    return outcome


def _make_tree(rng: random.Random, root: Path, count: int, subfolders: int) -> dict[str, bytes]:
    """``count`` files spread over ``subfolders`` nested folders (up to three deep) under ``root``.

    Returns relative path ('/'-separated) -> content. Every folder gets a file; the first files
    have the contents that catch copying mistakes, the others are small and random.
    """
    folders = [""]
    while len(folders) < subfolders + 1:
        parent = rng.choice(folders)
        parent = parent if parent.count("/") < 2 else ""
        name = f"{rng.choice(FOLDER_NAMES)} {rng.randrange(100)}"
        folder = f"{parent}/{name}" if parent else name
        if folder not in folders:
            folders.append(folder)
    specials = [data for _, data in copy_data.special_contents(rng)]
    tricky = copy_data.tricky_names(rng, count)
    files: dict[str, bytes] = {}
    for i in range(count):
        folder = folders[i] if i < len(folders) else rng.choice(folders)
        name = tricky[i] if rng.random() < 0.3 else copy_data.plain_name(rng, f"f{i}")
        data = specials[i] if i < len(specials) else rng.randbytes(rng.randint(0, 4096))
        files[f"{folder}/{name}" if folder else name] = data
    for rel, data in files.items():
        copy_data.write(root / rel, data)
    return files


def _copying_functions(learner: Any) -> list[str]:
    """The learner's own top-level functions but copy_folder_pool: what a pool task of theirs may run.

    A function also held under another name, in a container or as a default argument is left
    alone: the pool would pickle that reference by its name and find the probe instead.
    """
    module_vars = vars(learner)
    functions = {name: f for name, f in module_vars.items()
                 if inspect.isfunction(f) and f.__module__ == learner.__name__ and f.__qualname__ == name
                 and name != FUNCTION}
    held = collections.Counter(id(v) for v in module_vars.values())
    for value in module_vars.values():
        if isinstance(value, (list, tuple, set, frozenset)):
            held.update(id(v) for v in value)
        elif isinstance(value, dict):
            held.update(id(v) for v in value.values())
    for f in functions.values():
        held.update(id(v) for v in (f.__defaults__ or ()))
        held.update(id(v) for v in (f.__kwdefaults__ or {}).values())
    return [name for name, f in functions.items() if held[id(f)] == 1]


def _watch(observer: Observer, learner: Any, rendezvous: Rendezvous | None = None,
           gate: gates.Gate | None = None, free_for: str | None = None, measure_for: str | None = None) -> None:
    """Replace each of the learner's copying functions by a probe (here and in every process started).

    In a process of its own, each call first meets ``rendezvous``, or waits at ``gate`` unless it
    copies the file ``free_for`` (or is in the same chunk of tasks); a call about the file
    ``measure_for`` has its process's resident memory measured (:mod:`grader.inside.resident`).
    """
    for name in _copying_functions(learner):
        if gate is not None:
            bound = {"grader_function": (learner.__name__, name), "grader_gate": gate, "grader_free_for": free_for}
            observer.patch(learner, name, task=tasks.learner_function_as_told, bound=bound)
        elif measure_for is not None:
            bound = {"grader_function": (learner.__name__, name), "grader_measure_for": measure_for,
                     "grader_measure_into": str(observer.folder / "memory")}
            observer.patch(learner, name, rendezvous=rendezvous, task=resident.learner_function_measured, bound=bound)
        else:
            observer.patch(learner, name, rendezvous=rendezvous, in_children=True)


def _expect_tree(files: dict[str, bytes], dest: Path, empty_folders: tuple[str, ...] = ()) -> None:
    """``dest`` holds exactly the tree ``files`` and ``empty_folders``, byte for byte."""
    present = copy_data.entries(dest) if dest.is_dir() else {}
    missing = [rel for rel in files if present.get(rel) != "file"]
    if missing:
        nested = [rel for rel in files if "/" in rel]
        subfolders = {rel.split("/")[0] for rel in nested}
        if nested and set(missing) == set(nested) and not any(present.get(s) == "dir" for s in subfolders):
            raise Mistake("subfolders_skipped", count=len(nested), example=nested[0])
        raise Mistake("tree_files_missing", count=len(missing), total=len(files), names=", ".join(map(repr, missing[:5])))
    for folder in empty_folders:
        if present.get(folder) != "dir":
            raise Mistake("empty_subfolder_not_copied", name=folder)
    expected = set(files) | {"/".join(rel.split("/")[:i]) for rel in [*files, *empty_folders]
                             for i in range(1, rel.count("/") + 2)}
    extra = sorted(rel for rel in present if rel not in expected)
    if extra:
        raise Mistake("tree_extra_files", names=", ".join(map(repr, extra[:5])))
    copies = [Copied(rel, data, copy_data.read_or_none(dest / rel)) for rel, data in files.items()]
    mistake = copy_data.diagnose(copies, FUNCTION, str(dest)) or copy_data.not_a_real_copy(dest, list(files))
    if mistake is not None:
        raise mistake


def _copiers(observer: Observer) -> list[Any]:
    """The processes the learner's code started, but a Manager's server (it holds a progress queue, say, and copies nothing)."""
    return [e for e in observer.started() if not e.serves_a_manager]


@check("never more than workers processes alive at once", "同时存活的进程从不超过 workers 个", points=2,
       blame=FUNCTION)
def test_at_most_workers_alive(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                               workdir: Path, start_call: float) -> None:
    workers = rng.randint(2, 4)
    _make_tree(rng, workdir / "source", 3 * workers + rng.randint(1, 3), 2)
    # A copy waits (up to patience) for workers+1 copies to run at once, which a bounded pool never
    # has: so a copy outlasts the start of the next processes, and code that starts a process per
    # file shows more than workers alive. Patience covers starting workers+1 processes, measured.
    patience = min(2.0, max(0.15, 4 * (workers + 1) * start_call))
    _watch(observer, learner, rendezvous=observer.rendezvous("too-many", workers + 1, patience))
    outcome = _run(grading, learner, workdir / "source", workdir / "dest", workers)
    started = _copiers(observer)
    most = max_alive_at_once(started, time.monotonic())
    if most > workers:
        raise Mistake("too_many_alive", most=most, workers=workers, started=len(started))
    outcome.expect_no_error()
    # The grader always passes workers, so the default is read from the signature, not run.
    default = _default_workers(learner.copy_folder_pool)
    if default != 4:
        raise Mistake("wrong_default_workers", got=default)


def _default_workers(func: Callable[..., Any]) -> Any:
    """The default value of ``func``'s ``workers`` parameter, or the text "no default"."""
    try:
        parameter = inspect.signature(func).parameters.get("workers")
    except (TypeError, ValueError):
        return "no signature"
    if parameter is None or parameter.default is inspect.Parameter.empty:
        return "no default"
    return parameter.default


@check("copies a whole tree of a few hundred files byte for byte, returning the count",
       "一字节不差地拷贝几百个文件的整个文件夹树，并返回文件个数", points=3, timeout=TREE_TIMEOUT, blame=FUNCTION)
def test_copies_the_whole_tree(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                               workdir: Path) -> None:
    # The edges of the contract in every run: a pool of one (workers=1 means one, not "at least
    # two"), and an empty subfolder, which is part of the tree as much as the others.
    workers = 1
    source, dest = workdir / "source tree", workdir / "dest tree"
    files = _make_tree(rng, source, rng.randint(150, 250), rng.randint(8, 14))
    parent = rng.choice(sorted({rel.rpartition("/")[0] for rel in files}))
    empty = f"{parent}/空文件夹 {rng.randrange(100)}" if parent else f"空文件夹 {rng.randrange(100)}"
    (source / empty).mkdir()
    # A process per file, workers at a time, is correct if slow: give it room to start them all.
    # (Not stopping it early also spares a Pool(maxtasksperchild=1), whose pool thread would die
    # at the limit and leave the pool hanging.)
    limit = grading.registry.limit
    grading.registry.limit = max(limit, len(files) + 32)
    try:
        outcome = _run(grading, learner, source, dest, workers)
    finally:
        grading.registry.limit = limit
    # Hundreds of copies give a process-per-file copier whose copies the grader cannot hold (a
    # function of the standard library as the target) hundreds of chances to show it is unbounded.
    started = _copiers(observer)
    most = max_alive_at_once(started, time.monotonic())
    if most > workers:
        raise Mistake("too_many_alive", most=most, workers=workers, started=len(started))
    outcome.expect_no_error()
    _expect_tree(files, dest, (empty,))
    if outcome.result != len(files) or isinstance(outcome.result, bool):
        raise Mistake("tree_wrong_file_count", got=repr(outcome.result)[:80], expected=len(files))


@check("more than one process does the copying, at the same time", "不止一个进程在同时拷贝", points=2,
       timeout=30, blame=FUNCTION)
def test_more_than_one_process_copies(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                                      workdir: Path, start_cost: float) -> None:
    workers = rng.randint(2, 4)
    _make_tree(rng, workdir / "source", 2 * workers + rng.randint(1, 3), 2)
    # One large file, whose copying process's resident memory shows a copy that reads it whole.
    large, content = copy_data.plain_name(rng, "large"), copy_data.large_content(rng)
    size = len(content)
    copy_data.write(workdir / "source" / large, content)
    # Two copies that meet prove they ran at once. The first copy waits for a second one while the
    # other workers start: patience is generous (only code that never has two pays it, once), and
    # capped well inside the check's time limit.
    patience = min(6.0, 1.0 + 20 * start_cost)
    _watch(observer, learner, rendezvous=observer.rendezvous("two-at-once", 2, patience), measure_for=large)
    outcome = _run(grading, learner, workdir / "source", workdir / "dest", workers)
    outcome.expect_no_error()
    if held := large_file_held(observer, size):
        raise Mistake("pool_copy_held_whole_file", name=large, **held)
    calls = observer.calls()
    in_children = [c for c in calls if c.how == IN_NEW_PROCESS]
    started = _copiers(observer)
    if in_children:
        pids = sorted({c.pid for c in in_children})
        if len(pids) < 2:
            raise Mistake("pool_of_one", pid=pids[0], workers=workers)
        if not any(c.met for c in in_children):
            raise Mistake("one_at_a_time", count=len(pids), workers=workers)
        return
    in_threads = [c for c in calls if c.how == IN_THREAD]
    if in_threads and not started:
        raise Mistake("ran_in_thread", function=in_threads[0].label, pid=in_threads[0].pid,
                      thread=in_threads[0].thread_name)
    if not started:
        raise Mistake("no_processes", workers=workers)
    if max_alive_at_once(started, time.monotonic()) < 2:
        raise Mistake("pool_of_one" if len(started) == 1 else "one_at_a_time", pid=started[0].pid,
                      count=len(started), workers=workers)


@check("a failing copy raises an exception naming the file, after the others are done, and never hangs",
       "某个拷贝失败时，等其他拷贝完成后抛出写着文件名的异常，而且不会卡住", points=2, timeout=FAILURE_CHECK_LIMIT,
       blame=FUNCTION)
def test_failed_copy_raises_after_the_rest(learner: Any, grading: Grading, observer: Observer,
                                           rng: random.Random, workdir: Path, start_cost: float) -> None:
    workers = rng.randint(2, 4)
    source, dest = workdir / "source", workdir / "dest"
    # The failing file is alone at the top, so a walk hands it out first; the others follow.
    victim = copy_data.tricky_names(rng, 1)[0]
    copy_data.write(source / victim, rng.randbytes(rng.randint(10, 999)))
    subfolder = f"{rng.choice(FOLDER_NAMES)} {rng.randrange(100)}"
    nested = _make_tree(rng, source / subfolder, 2 * workers + rng.randint(2, 4), 2)
    others = {f"{subfolder}/{rel}": data for rel, data in nested.items()}
    # A second copy fails too, among the held ones, once the gate has opened: code that names only
    # one of the failed files names the first and leaves this one out, whatever the seed.
    second = rng.choice(sorted(others))
    del others[second]
    second_name = second.rpartition("/")[2]
    # A folder where the copy must go, holding a folder of the same name: open(..., "wb") and
    # shutil.copyfile fail on it, and so does shutil.copy/copy2, which would copy into a folder.
    (dest / victim / victim).mkdir(parents=True)
    (dest / second / second_name).mkdir(parents=True)
    # The other copies wait at a gate, opened only once the failure has reached the caller and it
    # still waits for more: one that leaves its pool at the first failure terminates them unmade.
    gate = gates.Gate(str(observer.folder / "gate"), patience=FAILURE_TIMEOUT)
    _watch(observer, learner, gate=gate, free_for=victim)

    def not_copied_yet() -> list[str]:
        return [rel for rel, data in others.items() if copy_data.read_or_none(dest / rel) != data]

    with FailureGate(gate, started=lambda: _copiers(observer), modules=(learner,)) as keeper:
        # Once the failure was delivered, the gate opened and every other file is copied, a caller
        # that reads its results has nothing left to wait for: one still waiting never returns.
        stuck = CallerStuck(lambda: keeper.everyone_let_through and not not_copied_yet(),
                            grace_after_settled(start_cost))
        try:
            with stuck:
                outcome = _run(grading, learner, source, dest, workers, look=not_copied_yet)
        except BaseException as exc:
            if stuck.fired and fixtures.is_timeout(exc):
                raise Mistake("waits_after_every_copy_ended", name=victim, seconds=stuck.settled_for) from None
            raise
    _expect_failure_in_a_worker(observer, grading, victim)
    if outcome.raised is None:
        raise Mistake("failure_swallowed", name=victim, result=repr(outcome.result)[:80])
    if outcome.raised.key != "raised":
        raise outcome.raised
    named = {name: copy_data.mentions(outcome.cause, name) for name in (victim, second_name)}
    if not any(named.values()):
        raise Mistake("tree_failure_not_named", name=victim, error=outcome.error_text() or outcome.raised.key)
    not_done = outcome.snapshot
    if not_done:
        raise Mistake("stopped_at_first_failure", name=victim, count=len(not_done), total=len(others),
                      names=", ".join(map(repr, not_done[:3])))
    if not all(named.values()):
        # Which one is named depends on which failure reached the caller first: say the one left out.
        left_out, named_one = (second, victim) if named[victim] else (victim, second)
        raise Mistake("tree_second_failure_not_named", name=left_out, first=named_one, error=outcome.error_text())


def _expect_failure_in_a_worker(observer: Observer, grading: Grading, victim: str) -> None:
    """Fail when the copy of ``victim`` failed in the calling process: a function of the learner's,
    given that file, raised there (the folder standing where the copy must go stops only a copy),
    so the copying ran in the caller, whatever the pool was given to do meanwhile."""
    for call in observer.calls():
        in_caller = call.how == DIRECT_CALL or call.pid == grading.pid
        if in_caller and call.error is not None and any(victim in str(arg) for arg in call.args):
            raise Mistake("copied_in_the_caller", function=call.label, name=victim, pid=call.pid,
                          error=f"{call.error['type']}: {call.error['message']}"[:200])


@check("a missing source_dir raises FileNotFoundError", "source_dir 不存在时抛出 FileNotFoundError", blame=FUNCTION)
def test_missing_source_raises(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                               workdir: Path) -> None:
    outcome = _run(grading, learner, workdir / f"no such folder {rng.randrange(1000)}", workdir / "dest",
                   rng.randint(2, 4))
    if outcome.raised is None:
        raise Mistake("tree_missing_source_not_reported", result=repr(outcome.result)[:80])
    if not isinstance(outcome.cause, FileNotFoundError):
        raise Mistake("tree_wrong_exception", error=outcome.error_text() or outcome.raised.key)
