"""Checks of ex10_copy_folder_pool: ``copy_folder_pool(source_dir, dest_dir, workers=4) -> int``.

The contract fixes only ``copy_folder_pool``: the learner may copy with a function of their own
(``copy_one`` or another), or hand ``shutil.copy2`` straight to the pool. The learner host calls it
(grader.inside.scenes.ex10_copy_folder_pool), with the learner's own top-level functions replaced by
witnessed probes, there and in every process started, and, where the check needs it, each copy held
(a rendezvous, so that copies outlast the start of processes; the failure gate, so that a failed copy
reaches the caller before the others are made). A copy is made to fail, whatever does the copying,
by a folder standing where the copy must go.

The checker writes every tree and reads every copy itself. Which processes ran the copies of the
learner's functions, and their parents, are the witness's (the kernel's) facts: a process it saw at
two moments was alive between them, so the pool's size it shows is a floor no report can lower. The
host's word: what the call returned or raised, the processes its registry saw start and end (all a
copier that hands the pool ``shutil.copy2`` shows), whether copies met, the memory the process that
copied the large file measured of itself, and what the failure gate saw when the call ended.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.grading import witness
from grader.grading.host_channel import Played, Scene, SeenCall
from grader.inside.observe import DIRECT_CALL, IN_NEW_PROCESS, IN_THREAD, max_alive_at_once

from ..messages import Mistake
from . import check, copy_data
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"); the scenes are grader.inside.scenes.ex10_copy_folder_pool.
HOST_MISTAKES = ()

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

# Mistakes of the call that no other finding comes before: nothing was written, or nothing could travel.
_FIRST = ("not_implemented", "cannot_pickle")


@dataclass(frozen=True)
class Span:
    """When a process was alive (monotonic seconds, the same clock in the checker and the host)."""

    pid: int
    started: float
    ended: float


@dataclass
class PoolCopy:
    """How one call of copy_folder_pool went, as the host played it, and the copies the witness saw."""

    played: Played
    result: int | None = None  # what it returned, when an int (not a bool)
    result_repr: str = ""
    raised: Mistake | None = None
    error: str = ""  # the learner's own exception, "Type: message"
    not_found: bool = False  # that exception is a FileNotFoundError
    named: dict[str, bool] = field(default_factory=dict)  # which of the files asked about it names
    processes: list[Span] = field(default_factory=list)  # the registry's, but a Manager's server

    @classmethod
    def of(cls, played: Played) -> "PoolCopy":
        """The outcome the host observed; a call not written yet, or one whose task could not travel, fails here."""
        seen = played.observation
        outcome = cls(played, raised=played.kept_mistake("failure"))
        if outcome.raised is not None and outcome.raised.key in _FIRST:
            raise outcome.raised
        result = seen.get("result") if isinstance(seen.get("result"), dict) else {}
        value = result.get("int")
        outcome.result = value if isinstance(value, int) and not isinstance(value, bool) else None
        outcome.result_repr = str(result.get("repr", ""))[:80]
        error = seen.get("error") if isinstance(seen.get("error"), dict) else {}
        outcome.error = str(error.get("text", ""))[:300]
        outcome.not_found = error.get("not_found") is True
        outcome.named = {str(k): v is True for k, v in (error.get("named") or {}).items()}
        outcome.processes = [Span(int(p["pid"]), float(p["started"]), float(p["ended"]))
                             for p in seen.get("processes", []) if isinstance(p, dict)]
        return outcome

    def error_text(self) -> str:
        return self.error

    def expect_no_error(self) -> None:
        if self.raised is not None:
            raise self.raised

    def copies(self) -> list[SeenCall]:
        """Every call of the learner's copying functions the witness saw (the host's report where there is none)."""
        return self.played.calls()

    def most_alive(self) -> int:
        """The most of the learner's processes alive at once: the registry's count, or the witness's where that
        is more. A child of the caller (the kernel's parent) that the witness saw at two moments (alive, waiting
        for its ack) was alive between them: spans of such processes that overlap are processes alive
        together, a floor no report can lower (a process seen once adds nothing to it)."""
        seen: dict[int, list[float]] = {}
        for call in self.copies():
            if call.witnessed and call.is_child_of(self.played.caller):
                seen.setdefault(call.pid, []).append(call.start)
        witnessed = [Span(pid, min(times), max(times)) for pid, times in seen.items() if len(times) >= 2]
        return max(max_alive_at_once(self.processes, 0.0), max_alive_at_once(witnessed, 0.0))  # type: ignore[arg-type]


def _expect_at_most(outcome: PoolCopy, workers: int) -> None:
    most = outcome.most_alive()
    if most > workers:
        raise Mistake("too_many_alive", most=most, workers=workers, started=len(outcome.processes))


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


def _digests(files: dict[str, bytes]) -> dict[str, str]:
    return {rel: copy_data.data_digest(data) for rel, data in files.items()}


@check("never more than workers processes alive at once", "同时存活的进程从不超过 workers 个", points=2,
       blame=FUNCTION)
def test_at_most_workers_alive(scene: Scene, rng: random.Random, workdir: Path) -> None:
    workers = rng.randint(2, 4)
    _make_tree(rng, workdir / "source", 3 * workers + rng.randint(1, 3), 2)
    played = scene.play("bounded", source=str(workdir / "source"), dest=str(workdir / "dest"), workers=workers)
    outcome = PoolCopy.of(played)
    _expect_at_most(outcome, workers)
    outcome.expect_no_error()
    default = played.observation.get("default_workers")
    if default != 4:
        raise Mistake("wrong_default_workers", got=default)


@check("copies a whole tree of a few hundred files byte for byte, returning the count",
       "一字节不差地拷贝几百个文件的整个文件夹树，并返回文件个数", points=3, timeout=TREE_TIMEOUT, blame=FUNCTION)
def test_copies_the_whole_tree(scene: Scene, rng: random.Random, workdir: Path) -> None:
    # The edges of the contract in every run: a pool of one (workers=1 means one, not "at least
    # two"), and an empty subfolder, which is part of the tree as much as the others.
    workers = 1
    source, dest = workdir / "source tree", workdir / "dest tree"
    files = _make_tree(rng, source, rng.randint(150, 250), rng.randint(8, 14))
    parent = rng.choice(sorted({rel.rpartition("/")[0] for rel in files}))
    empty = f"{parent}/空文件夹 {rng.randrange(100)}" if parent else f"空文件夹 {rng.randrange(100)}"
    (source / empty).mkdir()
    outcome = PoolCopy.of(scene.play("whole_tree", source=str(source), dest=str(dest), workers=workers,
                                     files=len(files)))
    # Hundreds of copies give a process-per-file copier whose copies the grader cannot hold (a
    # function of the standard library as the target) hundreds of chances to show it is unbounded.
    _expect_at_most(outcome, workers)
    outcome.expect_no_error()
    _expect_tree(files, dest, (empty,))
    if outcome.result != len(files):
        raise Mistake("tree_wrong_file_count", got=outcome.result_repr, expected=len(files))


def _met(call: SeenCall, record: dict[str, Any], calls: list[tuple[SeenCall, dict[str, Any]]]) -> bool:
    """Whether ``call`` met another copy at the rendezvous: the host's record of it, believed where the witness
    saw the call only if a copy in another process was under way at the same moment."""
    if not (record.get("rendezvous") or {}).get("met"):
        return False
    return not call.witnessed or any(other.pid != call.pid and call.under_way_with(other) for other, _ in calls)


@check("more than one process does the copying, at the same time", "不止一个进程在同时拷贝", points=2,
       timeout=30, blame=FUNCTION)
def test_more_than_one_process_copies(scene: Scene, rng: random.Random, workdir: Path) -> None:
    workers = rng.randint(2, 4)
    _make_tree(rng, workdir / "source", 2 * workers + rng.randint(1, 3), 2)
    # One large file, whose copying process's resident memory shows a copy that reads it whole.
    large, content = copy_data.plain_name(rng, "large"), copy_data.large_content(rng)
    size = len(content)
    copy_data.write(workdir / "source" / large, content)
    # Two copies that meet prove they ran at once (the host's record of the rendezvous); which processes
    # ran them is the witness's.
    # The witness reads the peak of every copy's process from the kernel (which functions copy is the learner's
    # choice, so every probe's), the large file's among them.
    with scene.channel.measuring(witness.EVERY_LABEL):
        played = scene.play("two_at_once", source=str(workdir / "source"), dest=str(workdir / "dest"),
                            workers=workers, large=large)
    outcome = PoolCopy.of(played)
    outcome.expect_no_error()
    if held := copy_data.copies_held(outcome.copies(), played.caller, played.observation.get("growths"), size):
        raise Mistake("pool_copy_held_whole_file", name=large, **held)
    labels = sorted({call.label for call in outcome.copies()})
    calls = sorted(((call, record) for label in labels for call, record in played.with_records(label)),
                   key=lambda pair: pair[0].start)
    in_children = [(c, record) for c, record in calls if c.how == IN_NEW_PROCESS]
    started = outcome.processes
    if in_children:
        pids = sorted({c.pid for c, _ in in_children})
        if len(pids) < 2:
            raise Mistake("pool_of_one", pid=pids[0], workers=workers)
        if not any(_met(call, record, in_children) for call, record in in_children):
            raise Mistake("one_at_a_time", count=len(pids), workers=workers)
        return
    in_threads = [c for c, _ in calls if c.how == IN_THREAD]
    if in_threads and not started:
        raise Mistake("ran_in_thread", function=in_threads[0].label, pid=in_threads[0].pid,
                      thread=in_threads[0].thread_name)
    if not started:
        raise Mistake("no_processes", workers=workers)
    if max_alive_at_once(started, 0.0) < 2:  # type: ignore[arg-type]
        raise Mistake("pool_of_one" if len(started) == 1 else "one_at_a_time", pid=started[0].pid,
                      count=len(started), workers=workers)


@check("a failing copy raises an exception naming the file, after the others are done, and never hangs",
       "某个拷贝失败时，等其他拷贝完成后抛出写着文件名的异常，而且不会卡住", points=2, timeout=FAILURE_CHECK_LIMIT,
       blame=FUNCTION)
def test_failed_copy_raises_after_the_rest(scene: Scene, rng: random.Random, workdir: Path) -> None:
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
    # The other copies wait at a gate in the host, opened only once the failure has reached the caller and
    # it still waits for more: one that leaves its pool at the first failure terminates them unmade.
    played = scene.play("one_fails", source=str(source), dest=str(dest), workers=workers, victim=victim,
                        names=[victim, second_name], others=_digests(others), patience=FAILURE_TIMEOUT)
    stuck_for = played.observation.get("stuck_for")
    if isinstance(stuck_for, (int, float)) and not isinstance(stuck_for, bool):
        raise Mistake("waits_after_every_copy_ended", name=victim, seconds=float(stuck_for))
    outcome = PoolCopy.of(played)
    _expect_failure_in_a_worker(outcome, victim)
    if outcome.raised is None:
        raise Mistake("failure_swallowed", name=victim, result=outcome.result_repr)
    if outcome.raised.key != "raised":
        raise outcome.raised
    named = {name: outcome.named.get(name, False) for name in (victim, second_name)}
    if not any(named.values()):
        raise Mistake("tree_failure_not_named", name=victim, error=outcome.error_text() or outcome.raised.key)
    # What was not copied when the call ended is the host's word; what is still not copied now, read here,
    # can only add to it (a file once copied stays so).
    reported = [str(rel) for rel in played.observation.get("not_copied_yet") or [] if str(rel) in others]
    not_done = reported + [rel for rel, data in others.items()
                           if rel not in reported and copy_data.read_or_none(dest / rel) != data]
    if not_done:
        raise Mistake("stopped_at_first_failure", name=victim, count=len(not_done), total=len(others),
                      names=", ".join(map(repr, not_done[:3])))
    if not all(named.values()):
        # Which one is named depends on which failure reached the caller first: say the one left out.
        left_out, named_one = (second, victim) if named[victim] else (victim, second)
        raise Mistake("tree_second_failure_not_named", name=left_out, first=named_one, error=outcome.error_text())


def _expect_failure_in_a_worker(outcome: PoolCopy, victim: str) -> None:
    """Fail when the copy of ``victim`` failed in the calling process: a function of the learner's,
    given that file, raised there (the folder standing where the copy must go stops only a copy),
    so the copying ran in the caller, whatever the pool was given to do meanwhile."""
    for call in outcome.copies():
        in_caller = call.how == DIRECT_CALL or call.pid == outcome.played.caller
        if in_caller and call.error is not None and any(victim in str(arg) for arg in call.args):
            raise Mistake("copied_in_the_caller", function=call.label, name=victim, pid=call.pid,
                          error=f"{call.error.get('type')}: {call.error.get('message')}"[:200])


@check("a missing source_dir raises FileNotFoundError", "source_dir 不存在时抛出 FileNotFoundError", blame=FUNCTION)
def test_missing_source_raises(scene: Scene, rng: random.Random, workdir: Path) -> None:
    outcome = PoolCopy.of(scene.play("missing_source", source=str(workdir / f"no such folder {rng.randrange(1000)}"),
                                     dest=str(workdir / "dest"), workers=rng.randint(2, 4)))
    if outcome.raised is None:
        raise Mistake("tree_missing_source_not_reported", result=outcome.result_repr)
    if not outcome.not_found:
        raise Mistake("tree_wrong_exception", error=outcome.error_text() or outcome.raised.key)
