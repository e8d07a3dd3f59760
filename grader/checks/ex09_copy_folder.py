"""Checks of ex09_copy_folder: ``copy_folder(source_dir, dest_dir) -> int`` (and its ``copy_file``).

``copy_folder`` runs in the learner host on folders the checker made afresh from the check's ``rng``,
its copies observed (and, where a check needs it, held, failed, killed or measured) by a probe in
place of the learner's ``copy_file``: see :mod:`grader.checks.folder_copy_run`. The checker reads the
copies itself, takes from the witness which processes made them, their parents and their memory's
peak, and from the host only what copy_folder returned or raised, when, and what it waited for.
"""

from __future__ import annotations

import collections
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from grader.grading.fixtures import Grading, module_scene
from grader.grading.host_channel import Scene

from ..messages import NO_TEXT, Mistake, Text
from . import check, check_named, copy_data, expect_new_process, timeline_bars
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use
from .folder_copy_run import (
    FolderCopy,
    copy_held,
    expect_copies_ran_cleanly,
    expect_names_not_paths,
    expect_no_error,
    file_name,
    play,
)

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"); the scenes are grader.inside.scenes.ex09_copy_folder.
HOST_MISTAKES = ("no_copy_file",)

FUNCTION = "copy_folder"
# The gated run's files, and the CPUs its code sees: more files than any batch it could size by them.
GATED_FILES = 4
GATED_CPUS = 2

from .folder_copy_texts import MESSAGES  # noqa: E402,F401 - the plugin reads a check module's MESSAGES


def _make_files(rng: random.Random, folder: Path, count: int) -> dict[str, bytes]:
    """``count`` files in ``folder`` with contents and names that catch copying mistakes.

    The first contents handed out are always bytes that are not UTF-8, a file larger than the usual
    chunks and CRLF text, in a random order, then an empty file: whatever the seed, a text-mode copy
    fails on its undecodable file (not only on the line ends it rewrites), a chunk loop meets a long
    file, and four files or more hold an empty one. One name always starts with a dot.
    """
    special = dict(copy_data.special_contents(rng))
    decisive = [special.pop(kind) for kind in ("not-utf8", "binary", "crlf")]
    rng.shuffle(decisive)
    decisive.append(special.pop("empty"))
    others = [*special.values(), rng.randbytes(rng.choice(copy_data.COMMON_CHUNK_SIZES) + 1)]
    rng.shuffle(others)
    contents = decisive + others
    plain = [copy_data.plain_name(rng, f"file{i}") for i in range(count - count // 2)]
    # A name starting with a dot is a regular file like any other: one in every run.
    plain[0] = "." + plain[0]
    names = copy_data.tricky_names(rng, count // 2) + plain
    files = {name: contents[i % len(contents)] for i, name in enumerate(names)}
    for name, data in files.items():
        copy_data.write(folder / name, data)
    folder.mkdir(parents=True, exist_ok=True)
    return files


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
    if outcome.returned_count() != expected:
        raise Mistake("wrong_file_count", got=outcome.result_repr, expected=expected)


@check("creates dest_dir and copies every file byte for byte, returning the count",
       "创建 dest_dir，一字节不差地拷贝每个文件，并返回文件个数", points=2, blame=FUNCTION)
def test_copies_every_file(scene: Scene, rng: random.Random, workdir: Path) -> None:
    source = workdir / "source folder"
    files = _make_files(rng, source, 4)
    # The file above the usual chunks becomes the large one (no process more to start), whose
    # copying process's resident memory shows a copy_file that reads it whole.
    large = max(files, key=lambda name: len(files[name]))
    files[large] = copy_data.large_content(rng)
    size = len(files[large])
    copy_data.write(source / large, files[large])
    dest = workdir / f"新的 文件夹 {rng.randrange(100)}" / "dest folder"  # missing, and its parent too
    # The witness reads the peak of every copy's process from the kernel, the large one's among them.
    with scene.channel.measuring("copy_file"):
        outcome = play(scene, source, dest, measure_for=large)
    if not dest.is_dir():
        error = outcome.error_text()
        raise Mistake("dest_not_created", dest="…/" + "/".join(dest.parts[-2:]),
                      raised=Text(f" (and it raised {error})", f"（并抛出了 {error}）") if error else NO_TEXT)
    expect_copies_ran_cleanly(outcome.calls)
    expect_no_error(outcome)
    _expect_copied(files, dest)
    _expect_count(outcome, len(files))
    if held := copy_held(outcome, size):
        raise Mistake("copy_held_whole_file", name=large, **held)


@check("copies each file by copy_file in a process of its own", "每个文件都由 copy_file 在自己的进程里拷贝",
       points=2, blame=FUNCTION)
def test_each_file_in_a_process_of_its_own(scene: Scene, rng: random.Random, workdir: Path) -> None:
    source = workdir / "source"
    files = _make_files(rng, source, 3)
    outcome = play(scene, source, workdir / "dest")
    calls = outcome.calls
    if not calls:
        if outcome.raised is not None:
            raise outcome.raised
        raise Mistake("never_ran", function="copy_file", expected=len(files))
    for call in calls:
        expect_new_process(call, outcome.caller, "copy_file")  # type: ignore[arg-type]
        if not call.is_child_of(outcome.caller):
            parent = call.grandparent if call.parent_is_forkserver else call.parent
            raise Mistake("not_a_child", function="copy_file", pid=call.pid, parent=parent, caller=outcome.caller)
    expect_names_not_paths(calls, files)
    copied = collections.Counter(file_name(call) for call in calls)
    for name in files:
        if copied[name] == 0:
            raise Mistake("copy_file_not_called_for", name=name)
        if copied[name] > 1:
            raise Mistake("copied_twice", name=name, count=copied[name])
    by_pid: dict[int, list[str]] = collections.defaultdict(list)
    for call in calls:
        by_pid[call.pid].append(file_name(call) or "?")
    for pid, names in by_pid.items():
        if len(names) > 1:
            raise Mistake("shared_process", pid=pid, names=", ".join(map(repr, names)))
    expect_no_error(outcome)


@dataclass
class GatedRun:
    """One call of copy_folder with every copy held at the grader's gate until copy_folder waits for it."""

    files: dict[str, bytes]
    outcome: FolderCopy | None = None
    failure: Mistake | None = None

    def result(self) -> FolderCopy:
        if self.failure is not None:
            raise self.failure
        assert self.outcome is not None
        return self.outcome

    def seen(self, name: str, default: Any = None) -> Any:
        """What the host's gatekeeper saw of copy_folder's waits (``name`` of its observation)."""
        return self.result().played.observation.get(name, default)

    def unfinished_at_return(self) -> set[int]:
        """The copies still held at the gate, or not yet there, when copy_folder returned: not even begun."""
        return {pid for pid in self.seen("unfinished_at_return", []) if isinstance(pid, int)}


@pytest.fixture(scope="module")
def gated(grading: Grading, time_limit: float) -> Iterator[GatedRun]:
    """copy_folder on a fresh folder, once for the checks of order: each copy waits at a gate that the
    host's gatekeeper opens only while copy_folder is blocked waiting, the copy started last first."""
    rng = random.Random(f"{grading.seed}/gated copy_folder")
    folder = grading.scratch / "files" / "gated"
    shutil.rmtree(folder, ignore_errors=True)
    source = folder / "source"
    # Four files, in every run: a copier that starts them in batches of two or three and joins
    # each batch before starting the next waits before it has started them all, whatever the
    # seed; and the code sees two CPUs, so batches of os.cpu_count() are caught on any machine.
    gated_run = GatedRun(_make_files(rng, source, GATED_FILES))
    first = check_named(__name__, "test_returns_after_every_copy")
    scene = module_scene(grading, first.title.en, time_limit, first.blame)
    # A join with a timeout is outwaited (the copy it waits for stays held past it): copy_folder that
    # gives up then returns, or raises, with that copy not even begun, however fast the machine.
    try:
        gated_run.outcome = play(scene, source, folder / "dest", gated=len(gated_run.files), cpus=GATED_CPUS,
                                 time_limit=time_limit)
    except Mistake as mistake:
        gated_run.failure = mistake
    yield gated_run
    scene.raise_leak()
    shutil.rmtree(folder, ignore_errors=True)


def _expect_no_join_given_up(gated: GatedRun) -> None:
    """Fail if copy_folder stopped waiting for a copy when its join's timeout ran out (the copy still held).

    Told before the error that follows from it: the exit code of that copy is still None, which the
    learner's code then takes for a failed copy."""
    unfinished = gated.unfinished_at_return()
    for pair in gated.seen("outwaited_how", []):
        if isinstance(pair, list) and len(pair) == 2 and pair[0] in unfinished:
            raise Mistake("copy_join_gave_up", name=_file_copied_by(gated, pair[0]), pid=pair[0], how=str(pair[1]))


def _file_copied_by(gated: GatedRun, pid: Any) -> str:
    """The name of the file the gated run's process ``pid`` copied, quoted ('?' if none is known)."""
    name = next((file_name(c) for c in gated.result().calls if c.pid == pid), None)
    return repr(name or "?")


@check("returns only after every copy has finished", "所有拷贝都完成后才返回", points=2, blame=FUNCTION)
def test_returns_after_every_copy(gated: GatedRun, feedback: Any) -> None:
    # A copy still held at the gate when copy_folder returns had not even begun, however fast the machine.
    outcome = gated.result()
    calls = outcome.calls
    feedback.timeline(timeline_bars(calls, outcome.called))
    _expect_no_join_given_up(gated)
    expect_no_error(outcome)
    if not calls:
        raise Mistake("never_ran", function="copy_file", expected=len(gated.files))
    unfinished = gated.unfinished_at_return()
    late = [c for c in calls if c.end is None or c.end > outcome.returned or c.pid in unfinished]
    if late:
        ends = [c.end for c in late if c.end is not None]
        late_ms = round(1000 * max(0.0, max(ends) - outcome.returned)) if ends else "?"
        raise Mistake("returned_too_early", running=len(late), total=len(calls), late_ms=late_ms)


@check("starts every copy before waiting for any", "先启动所有拷贝，再等待它们", blame=FUNCTION)
def test_copies_at_the_same_time(gated: GatedRun) -> None:
    # The copy copy_folder first waits for is held at the gate until it does: a copier that waits
    # before starting the others cannot have started them, however the machine schedules it.
    outcome = gated.result()
    _expect_no_join_given_up(gated)
    expect_no_error(outcome)
    released = gated.seen("released", [])
    if gated.seen("waited_before_starting_all") and released:
        started = gated.seen("started_when_first_waited")
        raise Mistake("copies_one_at_a_time", waited=_file_copied_by(gated, released[0]),
                      others=len(gated.files) - (started if isinstance(started, int) else 0))


@check("skips subfolders", "跳过子文件夹", blame=FUNCTION)
def test_skips_subfolders(scene: Scene, rng: random.Random, workdir: Path) -> None:
    source = workdir / "source"
    files = _make_files(rng, source, rng.randint(2, 3))
    subfolders = [f"子文件夹 {rng.randrange(1000)}", f"empty folder {rng.randrange(1000)}"]
    copy_data.write(source / subfolders[0] / copy_data.plain_name(rng, "inside"), rng.randbytes(100))
    (source / subfolders[1]).mkdir()
    dest = workdir / "dest"
    outcome = play(scene, source, dest)
    for call in outcome.calls:
        if file_name(call) in subfolders:
            raise Mistake("subfolder_not_skipped", name=file_name(call),
                          how=Text(" and called copy_file on it", "，并对它调用了 copy_file"))
    present = copy_data.entries(dest) if dest.is_dir() else {}
    for name in subfolders:
        if name in present:
            raise Mistake("subfolder_not_skipped", name=name, how=Text(" and put it in dest_dir", "，并把它放进了 dest_dir"))
    expect_no_error(outcome)
    _expect_copied(files, dest)
    _expect_count(outcome, len(files))


@check("accepts a dest_dir that already exists", "dest_dir 已存在时也能正常拷贝", blame=FUNCTION)
def test_accepts_an_existing_dest_dir(scene: Scene, rng: random.Random, workdir: Path) -> None:
    source, dest = workdir / "source", workdir / "dest"
    files = _make_files(rng, source, rng.randint(2, 3))
    stale = rng.choice(sorted(files))
    copy_data.write(dest / stale, rng.randbytes(len(files[stale]) + rng.randint(10, 999)))  # an older copy
    copy_data.write(dest / f"keep me {rng.randrange(100)}.txt", b"not from source_dir")
    outcome = play(scene, source, dest)
    if outcome.raised_a("FileExistsError"):
        raise Mistake("dest_exists_error", error=outcome.error_text())
    expect_copies_ran_cleanly(outcome.calls)
    expect_no_error(outcome)
    _expect_copied(files, dest, others_allowed=True)
    _expect_count(outcome, len(files))


@check("a copy that fails in its process, or dies by a signal, makes copy_folder raise, naming the file",
       "某个文件在子进程里拷贝失败或被信号杀死时，copy_folder 抛出异常并写出文件名", points=2, blame=FUNCTION)
def test_failed_copy_raises(scene: Scene, rng: random.Random, workdir: Path) -> None:
    # Both ways a copy fails are in every run: one raises (exit code 1), one is killed (exit code
    # below 0), so code that counts only positive exit codes, or only errors its children report
    # themselves, fails whatever the seed.
    source = workdir / "source"
    files = _make_files(rng, source, rng.randint(3, 4))
    victim, killed = rng.sample(sorted(files), 2)
    # Once every copy's process has ended (the killed one too), a caller that joins them has
    # nothing left to wait for: one still waiting waits for a result that will never come.
    try:
        outcome = play(scene, source, workdir / "dest", fail_for=victim, kill_for=killed, settled_when=sorted(files))
    except Mistake as mistake:
        # Stopped still waiting for the killed copy: early, once settled, or at the check's time limit.
        if mistake.key == "timeout":
            raise Mistake("killed_copy_hangs", name=killed) from None
        raise
    calls = outcome.calls
    expect_names_not_paths(calls, files)
    for name in (victim, killed):
        # An executor broken by the killed copy fails copies it never ran: named, they are reported.
        if not any(file_name(c) == name for c in calls) and not outcome.mentions(name):
            if outcome.raised is not None:
                raise outcome.raised
            raise Mistake("copy_file_not_called_for", name=name)
    if outcome.raised is None:
        raise Mistake("failure_not_reported", name=victim, result=outcome.result_repr)
    if outcome.raised.key != "raised" or not outcome.mentions(victim):
        raise Mistake("failure_not_named", name=victim, error=outcome.error_text()[:300] or outcome.raised.key)
    if not outcome.mentions(killed):
        raise Mistake("killed_copy_not_reported", name=killed, other=victim, error=outcome.error_text()[:300])


@check("a missing source_dir raises FileNotFoundError", "source_dir 不存在时抛出 FileNotFoundError", blame=FUNCTION)
def test_missing_source_raises(scene: Scene, rng: random.Random, workdir: Path) -> None:
    source = workdir / f"no such folder {rng.randrange(1000)}"
    outcome = play(scene, source, workdir / "dest")
    if outcome.raised is None:
        raise Mistake("missing_source_not_reported", result=outcome.result_repr)
    if not outcome.raised_a("FileNotFoundError"):
        raise Mistake("wrong_exception", error=outcome.error_text()[:300] or outcome.raised.key)
    scene.raise_leak()  # what the first call left running is its leak, before the next starts clean
    # An empty source_dir has no file to copy: 0, and a dest_dir all the same.
    empty, dest = workdir / f"empty folder {rng.randrange(1000)}", workdir / "dest of nothing"
    empty.mkdir()
    outcome = play(scene, empty, dest)
    if outcome.raised is not None:
        raise Mistake("empty_folder_raised", error=outcome.error_text()[:300] or outcome.raised.key)
    if not dest.is_dir():
        raise Mistake("dest_not_created", dest="…/" + dest.name, raised=NO_TEXT)
    if outcome.returned_count() != 0:
        raise Mistake("empty_folder_count", got=outcome.result_repr)
