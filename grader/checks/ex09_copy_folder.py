"""Checks of ex09_copy_folder: ``copy_folder(source_dir, dest_dir) -> int`` (and its ``copy_file``).

``copy_folder`` runs on folders made afresh from the check's ``rng``, with the learner's
``copy_file`` replaced by a probe, in the learner's module and in every process it starts (so a
helper of the learner's that calls ``copy_file`` is seen under spawn too). The probe records each
call (in which process, for which file, when it started and ended), then runs the learner's own
``copy_file``: after a short sleep where the check needs the copies to outlast the start of
processes, or failing on purpose for one file (raising, or dying by a signal) where the check needs
a copy to fail.
"""

from __future__ import annotations

import collections
import inspect
import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest

from grader.grading import fixtures
from grader.grading.fixtures import Grading, Observer
from grader.grading.gatekeeper import Gatekeeper, gatekeeper
from grader.inside import gates, tasks
from grader.inside.observe import Call

from ..messages import NO_TEXT, Mistake, Text
from . import check, copy_data, expect_new_process, plain_errors, timeline_bars, wait_for_ends
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use

FUNCTION = "copy_folder"

from .folder_copy_texts import MESSAGES  # noqa: E402,F401 - the plugin reads a check module's MESSAGES


def _copy_file_contract(file_name: str, source_dir: str, dest_dir: str) -> None:
    """The parameters of copy_file, as the exercise fixes them (to read which file a call copied)."""


@dataclass
class FolderCopy:
    """How one call of copy_folder ended: what it returned or the mistake it raised, and when."""

    result: Any
    called: float
    returned: float
    raised: Mistake | None

    @property
    def cause(self) -> BaseException | None:
        """The learner's own exception, when copy_folder raised one."""
        return self.raised.__context__ if self.raised is not None else None

    def error_text(self) -> str:
        cause = self.cause
        return f"{type(cause).__name__}: {cause}" if cause is not None else ""


def _make_files(rng: random.Random, folder: Path, count: int) -> dict[str, bytes]:
    """``count`` files in ``folder`` with contents and names that catch copying mistakes.

    The first contents handed out are always bytes that are not UTF-8, a file larger than the usual
    chunks and CRLF text, in a random order: whatever the seed, a text-mode copy fails on its
    undecodable file (not only on the line ends it rewrites), and a chunk loop meets a long file.
    """
    special = dict(copy_data.special_contents(rng))
    decisive = [special.pop(kind) for kind in ("not-utf8", "binary", "crlf")]
    others = [*special.values(), rng.randbytes(rng.choice(copy_data.COMMON_CHUNK_SIZES) + 1)]
    rng.shuffle(decisive)
    rng.shuffle(others)
    contents = decisive + others
    plain = [copy_data.plain_name(rng, f"file{i}") for i in range(count - count // 2)]
    names = copy_data.tricky_names(rng, count // 2) + plain
    files = {name: contents[i % len(contents)] for i, name in enumerate(names)}
    for name, data in files.items():
        copy_data.write(folder / name, data)
    folder.mkdir(parents=True, exist_ok=True)
    return files


def _watch_copies(observer: Observer, learner: Any, delay: float = 0.0, fail_for: str | None = None,
                  gate: gates.Gate | None = None, kill_for: str | None = None) -> None:
    """Put a probe in place of the learner's copy_file (sleeping ``delay`` in a child, failing for ``fail_for``,
    dying by a signal for ``kill_for``, waiting at ``gate`` first)."""
    if not callable(getattr(learner, "copy_file", None)):
        raise Mistake("no_copy_file")
    bound: dict[str, Any] = {"grader_function": (learner.__name__, "copy_file"), "grader_delay": delay}
    if fail_for is not None:
        bound["grader_fail_for"] = fail_for
    if kill_for is not None:
        bound["grader_kill_for"] = kill_for
    if gate is not None:
        bound["grader_gate"] = gate
    observer.patch(learner, "copy_file", task=tasks.learner_function_as_told, bound=bound)


def _run(grading: Grading, learner: Any, observer: Observer, source: Path, dest: Path, patience: float,
         keeper: Gatekeeper | None = None) -> FolderCopy:
    """Call copy_folder(source, dest) (its copies held by ``keeper``, when given); then wait (up to
    ``patience`` s) for the processes it left running."""
    called = time.monotonic()
    try:
        try:
            if keeper is not None:
                keeper.__enter__()
            result, called, returned = plain_errors.call_plainly(grading, learner.copy_folder, str(source),
                                                                 str(dest))
        finally:
            if keeper is not None:
                keeper.caller_returned()
        outcome = FolderCopy(result, called, returned, None)
    except Mistake as mistake:
        if mistake.key in ("not_implemented", "too_many_processes", "cannot_pickle", "target_not_portable",
                           "group_given_positionally"):
            raise
        outcome = FolderCopy(None, called, time.monotonic(), mistake)
    plain_errors.expect_portable_targets(observer.started())
    # A copier that never joins leaves its copies running: let them end before the files are read.
    wait_for_ends(observer.started(), patience)
    return outcome


def _patience(start_cost: float) -> float:
    """How long the copies may take to end after copy_folder returned: generous, from this machine's pace."""
    return 2.0 + 40 * start_cost


def _file_name(call: Call) -> str | None:
    try:
        bound = inspect.signature(_copy_file_contract).bind(*call.args, **call.kwargs)
    except TypeError:
        return None
    name = bound.arguments["file_name"]
    return name if isinstance(name, str) else None


def _expect_names_not_paths(calls: list[Call], files: Iterable[str]) -> None:
    """Fail on a copy_file call given a path to one of ``files`` instead of its name: a copy_file of
    the learner's may still copy it, but then no call was for the file's name, and saying so would
    be untrue."""
    names = set(files)
    for call in calls:
        got = _file_name(call)
        if got is not None and got not in names and os.path.basename(got) in names:
            folder = os.path.basename(os.path.dirname(got))  # the folder it names, not the scratch path
            raise Mistake("file_name_is_a_path", got=os.path.join("…", folder, os.path.basename(got)),
                          name=os.path.basename(got))


def _expect_copies_ran_cleanly(observer: Observer) -> None:
    """Fail on the first copy_file call that raised in its process (the learner's own copy_file failed)."""
    for call in observer.calls("copy_file"):
        if call.error is None:
            continue
        name = _file_name(call) or "?"
        if call.error["type"] == "NotImplementedError":
            raise Mistake("not_implemented", function="copy_file")
        if call.error["type"].startswith("Unicode"):
            raise Mistake("text_mode_failed", function="copy_file", name=name,
                          error=f"{call.error['type']}: {call.error['message']}")
        raise Mistake("child_failed", function="copy_file", error=call.error["type"], message=call.error["message"])


def _expect_no_error(outcome: FolderCopy, observer: Observer, grading: Grading) -> None:
    """Fail when copy_folder raised; first with the reason its copies show, when they ran outside a process."""
    if outcome.raised is None:
        return
    for call in observer.calls("copy_file"):
        expect_new_process(call, grading.pid, "copy_file")
    raise outcome.raised


def _expect_copied(files: dict[str, bytes], dest: Path, others_allowed: bool = False) -> None:
    """Every file of ``files`` is in ``dest`` byte for byte (and, unless allowed, nothing else is)."""
    present = copy_data.entries(dest)
    missing = [name for name in files if present.get(name) != "file"]
    if missing:
        raise Mistake("files_missing", count=len(missing), total=len(files), names=", ".join(map(repr, missing[:5])))
    extra = sorted(rel for rel in present if rel not in files)
    if extra and not others_allowed:
        raise Mistake("extra_files", names=", ".join(map(repr, extra[:5])))
    copies = [Copied(name, data, copy_data.read_or_none(dest / name)) for name, data in files.items()]
    mistake = copy_data.diagnose(copies, "copy_file", str(dest)) or copy_data.not_a_real_copy(dest, list(files))
    if mistake is not None:
        raise mistake


def _expect_count(outcome: FolderCopy, expected: int) -> None:
    if outcome.result != expected or isinstance(outcome.result, bool):
        raise Mistake("wrong_file_count", got=repr(outcome.result)[:80], expected=expected)


@check("creates dest_dir and copies every file byte for byte, returning the count",
       "创建 dest_dir，一字节不差地拷贝每个文件，并返回文件个数", points=2, blame=FUNCTION)
def test_copies_every_file(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                           workdir: Path, start_cost: float) -> None:
    source = workdir / "source folder"
    files = _make_files(rng, source, rng.randint(3, 4))
    dest = workdir / f"新的 文件夹 {rng.randrange(100)}" / "dest folder"  # missing, and its parent too
    _watch_copies(observer, learner)
    outcome = _run(grading, learner, observer, source, dest, _patience(start_cost))
    if not dest.is_dir():
        error = outcome.error_text()
        raise Mistake("dest_not_created", dest="…/" + "/".join(dest.parts[-2:]),
                      raised=Text(f" (and it raised {error})", f"（并抛出了 {error}）") if error else NO_TEXT)
    _expect_copies_ran_cleanly(observer)
    _expect_no_error(outcome, observer, grading)
    _expect_copied(files, dest)
    _expect_count(outcome, len(files))


@check("copies each file by copy_file in a process of its own", "每个文件都由 copy_file 在自己的进程里拷贝",
       points=2, blame=FUNCTION)
def test_each_file_in_a_process_of_its_own(learner: Any, grading: Grading, observer: Observer,
                                           rng: random.Random, workdir: Path, start_cost: float) -> None:
    source = workdir / "source"
    files = _make_files(rng, source, 3)
    _watch_copies(observer, learner)
    outcome = _run(grading, learner, observer, source, workdir / "dest", _patience(start_cost))
    calls = observer.calls("copy_file")
    if not calls:
        if outcome.raised is not None:
            raise outcome.raised
        raise Mistake("never_ran", function="copy_file", expected=len(files))
    for call in calls:
        expect_new_process(call, grading.pid, "copy_file")
        if call.parent_pid != grading.pid:
            raise Mistake("not_a_child", function="copy_file", pid=call.pid, parent=call.parent_pid, caller=grading.pid)
    _expect_names_not_paths(calls, files)
    copied = collections.Counter(_file_name(call) for call in calls)
    for name in files:
        if copied[name] == 0:
            raise Mistake("copy_file_not_called_for", name=name)
        if copied[name] > 1:
            raise Mistake("copied_twice", name=name, count=copied[name])
    by_pid: dict[int, list[str]] = collections.defaultdict(list)
    for call in calls:
        by_pid[call.pid].append(_file_name(call) or "?")
    for pid, names in by_pid.items():
        if len(names) > 1:
            raise Mistake("shared_process", pid=pid, names=", ".join(map(repr, names)))
    _expect_no_error(outcome, observer, grading)


@dataclass
class GatedRun:
    """One call of copy_folder with every copy held at the grader's gate until copy_folder waits for it."""

    observer: Observer
    files: dict[str, bytes]
    outcome: FolderCopy | None = None
    keeper: Gatekeeper | None = None
    failure: Mistake | None = None

    def result(self) -> tuple[FolderCopy, Gatekeeper]:
        if self.failure is not None:
            raise self.failure
        assert self.outcome is not None and self.keeper is not None
        return self.outcome, self.keeper


@pytest.fixture(scope="module")
def gated(learner: Any, grading: Grading, start_cost: float, time_limit: float) -> Iterator[GatedRun]:
    """copy_folder on a fresh folder, once for the checks of order: each copy waits at a gate that the
    grader opens only while copy_folder is blocked waiting, the copy started last first."""
    rng = random.Random(f"{grading.seed}/gated copy_folder")
    folder = grading.scratch / "files" / "gated"
    shutil.rmtree(folder, ignore_errors=True)
    source = folder / "source"
    grading.registry.set_mark()
    observer = Observer(grading, grading.scratch / "gated copy_folder")
    run = GatedRun(observer, _make_files(rng, source, rng.randint(2, 3)))
    gate, keeper = gatekeeper(observer.folder / "gate", observer.started, grading.is_learner_file, start_cost,
                              time_limit, expected=len(run.files))
    try:
        _watch_copies(observer, learner, gate=gate)
        run.outcome = _run(grading, learner, observer, source, folder / "dest", _patience(start_cost), keeper)
        run.keeper = keeper
    except Mistake as mistake:
        run.failure = mistake
    finally:
        observer.restore()
    yield run
    observer.stop_leftovers(grace=1.0 + 10 * start_cost, function=FUNCTION)
    shutil.rmtree(folder, ignore_errors=True)


@check("returns only after every copy has finished", "所有拷贝都完成后才返回", points=2, blame=FUNCTION)
def test_returns_after_every_copy(gated: GatedRun, grading: Grading, feedback: Any) -> None:
    # A copy still held at the gate when copy_folder returns had not even begun, however fast the machine.
    outcome, keeper = gated.result()
    calls = gated.observer.calls("copy_file")
    feedback.timeline(timeline_bars(calls, outcome.called))
    _expect_no_error(outcome, gated.observer, grading)
    if not calls:
        raise Mistake("never_ran", function="copy_file", expected=len(gated.files))
    unfinished = set(keeper.unfinished_at_return)
    late = [c for c in calls if c.end is None or c.end > outcome.returned or c.pid in unfinished]
    if late:
        ends = [c.end for c in late if c.end is not None]
        late_ms = round(1000 * max(0.0, max(ends) - outcome.returned)) if ends else "?"
        raise Mistake("returned_too_early", running=len(late), total=len(calls), late_ms=late_ms)


@check("starts every copy before waiting for any", "先启动所有拷贝，再等待它们", blame=FUNCTION)
def test_copies_at_the_same_time(gated: GatedRun, grading: Grading) -> None:
    # The copy copy_folder first waits for is held at the gate until it does: a copier that waits
    # before starting the others cannot have started them, however the machine schedules it.
    outcome, keeper = gated.result()
    _expect_no_error(outcome, gated.observer, grading)
    if keeper.waited_before_starting_all:
        first = keeper.released[0]
        waited = next((_file_name(c) for c in gated.observer.calls("copy_file") if c.pid == first), None)
        raise Mistake("copies_one_at_a_time", waited=repr(waited or "?"),
                      others=len(gated.files) - (keeper.started_when_first_waited or 0))


@check("skips subfolders", "跳过子文件夹", blame=FUNCTION)
def test_skips_subfolders(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                          workdir: Path, start_cost: float) -> None:
    source = workdir / "source"
    files = _make_files(rng, source, rng.randint(2, 3))
    subfolders = [f"子文件夹 {rng.randrange(1000)}", f"empty folder {rng.randrange(1000)}"]
    copy_data.write(source / subfolders[0] / copy_data.plain_name(rng, "inside"), rng.randbytes(100))
    (source / subfolders[1]).mkdir()
    dest = workdir / "dest"
    _watch_copies(observer, learner)
    outcome = _run(grading, learner, observer, source, dest, _patience(start_cost))
    for call in observer.calls("copy_file"):
        if _file_name(call) in subfolders:
            raise Mistake("subfolder_not_skipped", name=_file_name(call),
                          how=Text(" and called copy_file on it", "，并对它调用了 copy_file"))
    present = copy_data.entries(dest) if dest.is_dir() else {}
    for name in subfolders:
        if name in present:
            raise Mistake("subfolder_not_skipped", name=name, how=Text(" and put it in dest_dir", "，并把它放进了 dest_dir"))
    _expect_no_error(outcome, observer, grading)
    _expect_copied(files, dest)
    _expect_count(outcome, len(files))


@check("accepts a dest_dir that already exists", "dest_dir 已存在时也能正常拷贝", blame=FUNCTION)
def test_accepts_an_existing_dest_dir(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                                      workdir: Path, start_cost: float) -> None:
    source, dest = workdir / "source", workdir / "dest"
    files = _make_files(rng, source, rng.randint(2, 3))
    stale = rng.choice(sorted(files))
    copy_data.write(dest / stale, rng.randbytes(len(files[stale]) + rng.randint(10, 999)))  # an older copy
    copy_data.write(dest / f"keep me {rng.randrange(100)}.txt", b"not from source_dir")
    _watch_copies(observer, learner)
    outcome = _run(grading, learner, observer, source, dest, _patience(start_cost))
    if isinstance(outcome.cause, FileExistsError):
        raise Mistake("dest_exists_error", error=outcome.error_text())
    _expect_copies_ran_cleanly(observer)
    _expect_no_error(outcome, observer, grading)
    _expect_copied(files, dest, others_allowed=True)
    _expect_count(outcome, len(files))


@check("a copy that fails in its process, or dies by a signal, makes copy_folder raise, naming the file",
       "某个文件在子进程里拷贝失败或被信号杀死时，copy_folder 抛出异常并写出文件名", points=2, blame=FUNCTION)
def test_failed_copy_raises(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                            workdir: Path, start_cost: float) -> None:
    # Both ways a copy fails are in every run: one raises (exit code 1), one is killed (exit code
    # below 0), so code that counts only positive exit codes, or only errors its children report
    # themselves, fails whatever the seed.
    source = workdir / "source"
    files = _make_files(rng, source, rng.randint(3, 4))
    victim, killed = rng.sample(sorted(files), 2)
    _watch_copies(observer, learner, fail_for=victim, kill_for=killed)
    try:
        outcome = _run(grading, learner, observer, source, workdir / "dest", _patience(start_cost))
    except BaseException as exc:
        # Stopped at the check's time limit (the worker's default: an executor that starts a fresh
        # interpreter per file needs more than 10 s here under load) still waiting for the killed copy.
        if fixtures.is_timeout(exc):
            raise Mistake("killed_copy_hangs", name=killed) from None
        raise
    calls = observer.calls("copy_file")
    _expect_names_not_paths(calls, files)
    for name in (victim, killed):
        # An executor broken by the killed copy fails copies it never ran: named, they are reported.
        if not any(_file_name(c) == name for c in calls) and not copy_data.mentions(outcome.cause, name):
            if outcome.raised is not None:
                raise outcome.raised
            raise Mistake("copy_file_not_called_for", name=name)
    if outcome.raised is None:
        raise Mistake("failure_not_reported", name=victim, result=repr(outcome.result)[:80])
    if outcome.raised.key != "raised" or not copy_data.mentions(outcome.cause, victim):
        raise Mistake("failure_not_named", name=victim, error=outcome.error_text()[:300] or outcome.raised.key)
    if not copy_data.mentions(outcome.cause, killed):
        raise Mistake("killed_copy_not_reported", name=killed, other=victim, error=outcome.error_text()[:300])


@check("a missing source_dir raises FileNotFoundError", "source_dir 不存在时抛出 FileNotFoundError", blame=FUNCTION)
def test_missing_source_raises(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                               workdir: Path, start_cost: float) -> None:
    source = workdir / f"no such folder {rng.randrange(1000)}"
    outcome = _run(grading, learner, observer, source, workdir / "dest", _patience(start_cost))
    if outcome.raised is None:
        raise Mistake("missing_source_not_reported", result=repr(outcome.result)[:80])
    if not isinstance(outcome.cause, FileNotFoundError):
        raise Mistake("wrong_exception", error=outcome.error_text()[:300] or outcome.raised.key)
