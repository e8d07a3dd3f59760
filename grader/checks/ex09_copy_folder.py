"""Checks of ex09_copy_folder: ``copy_folder(source_dir, dest_dir) -> int`` (and its ``copy_file``).

``copy_folder`` runs on folders made afresh from the check's ``rng``, with the learner's
``copy_file`` replaced by a probe, in the learner's module and in every process it starts (so a
helper of the learner's that calls ``copy_file`` is seen under spawn too). The probe records each
call (in which process, for which file, when it started and ended), then runs the learner's own
``copy_file``: after a short sleep where the check needs the copies to outlast the start of
processes, or failing on purpose for one file where the check needs a copy to fail.
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

from grader.grading.fixtures import Grading, Observer
from grader.grading.gatekeeper import Gatekeeper, gatekeeper
from grader.inside import gates, tasks
from grader.inside.observe import Call

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import check, copy_data, expect_new_process, plain_errors, timeline_bars, wait_for_ends
from .copy_data import Copied, workdir  # noqa: F401 - workdir is a fixture the checks use

FUNCTION = "copy_folder"

MESSAGES = messages.define(__name__, {
    "no_copy_file": {
        "en": "There is no function copy_file in your module. copy_folder must copy each file by calling copy_file(file_name, source_dir, dest_dir) in a process of its own: keep copy_file (as in exercise 08) at the top level of the module.",
        "zh": "你的模块里没有 copy_file 函数。copy_folder 要在每个文件各自的进程里调用 copy_file(file_name, source_dir, dest_dir) 来拷贝：请保留 copy_file（和练习 08 一样），写在模块的最外层。",
    },
    "dest_not_created": {
        "en": "After copy_folder, dest_dir ({dest}) does not exist{raised}. It was missing together with its parent folder: os.mkdir cannot create that, and a try/except around os.mkdir that catches every error hides why. Use os.makedirs(dest_dir, exist_ok=True): it creates every missing folder and accepts one that exists.",
        "zh": "copy_folder 执行后，dest_dir（{dest}）不存在{raised}。它和它的上一级文件夹都不存在：os.mkdir 创建不了，而用 try/except 包住 os.mkdir、捕获所有错误，会把原因藏起来。请使用 os.makedirs(dest_dir, exist_ok=True)：它会创建所有缺少的文件夹，文件夹已存在也不报错。",
    },
    "dest_exists_error": {
        "en": "copy_folder raised {error} because dest_dir already existed. An existing destination folder is fine: os.makedirs(dest_dir, exist_ok=True) creates it only when it is missing.",
        "zh": "因为 dest_dir 已经存在，copy_folder 抛出了 {error}。目标文件夹已存在是正常的：os.makedirs(dest_dir, exist_ok=True) 只在它不存在时才创建。",
    },
    "files_missing": {
        "en": "After copy_folder returned, {count} of the {total} files of source_dir are missing from dest_dir: {names}. Every regular file at the top level of source_dir must be copied (os.listdir lists them all).",
        "zh": "copy_folder 返回后，source_dir 的 {total} 个文件中有 {count} 个没有出现在 dest_dir 里：{names}。source_dir 顶层的每个普通文件都要拷贝（os.listdir 会列出全部文件）。",
    },
    "extra_files": {
        "en": "After copy_folder, dest_dir holds {names}, which source_dir's top level does not have. Copy exactly the regular files of source_dir, nothing else.",
        "zh": "copy_folder 执行后，dest_dir 里有 {names}，而 source_dir 的顶层并没有这些。只拷贝 source_dir 里的普通文件，别的都不要。",
    },
    "wrong_file_count": {
        "en": "copy_folder returned {got}; expected {expected}, the number of files it copied.",
        "zh": "copy_folder 返回了 {got}；预期返回拷贝的文件个数 {expected}。",
    },
    "copy_file_not_called_for": {
        "en": "copy_file was never called for {name!r}, though that file is in source_dir. Start one process with target=copy_file and args=(file_name, source_dir, dest_dir) for every file.",
        "zh": "source_dir 里有文件 {name!r}，但从未对它调用 copy_file。请为每个文件启动一个 target=copy_file、args=(file_name, source_dir, dest_dir) 的进程。",
    },
    "file_name_is_a_path": {
        "en": "copy_file was called with file_name={got!r}, a path, where the name of a file in source_dir ({name!r}) is expected. Pass the name alone, as os.listdir gives it: copy_file joins it to source_dir and to dest_dir itself.",
        "zh": "调用 copy_file 时 file_name={got!r}，这是一个路径，而预期的是 source_dir 里的文件名（{name!r}）。请只传文件名，就是 os.listdir 给出的那样：copy_file 自己会把它和 source_dir、dest_dir 拼起来。",
    },
    "copied_twice": {
        "en": "copy_file ran {count} times for {name!r}; expected once per file. Is a process started twice, or is copy_file also called directly?",
        "zh": "copy_file 对 {name!r} 运行了 {count} 次；预期每个文件一次。是不是同一个进程启动了两次，或者除了在进程里之外还直接调用了 copy_file？",
    },
    "shared_process": {
        "en": "copy_file copied {names} all in the same process (pid {pid}). Each file must be copied in a process of its own: one multiprocessing.Process(target=copy_file, ...) per file (a Pool hands several files to one worker).",
        "zh": "copy_file 在同一个进程（进程编号 {pid}）里拷贝了 {names}。每个文件都要在自己的进程里拷贝：每个文件一个 multiprocessing.Process(target=copy_file, ...)（进程池会把多个文件交给同一个工作进程）。",
    },
    "returned_too_early": {
        "en": "copy_folder returned while {running} of the {total} copies were still running (the last one ended {late_ms} ms later): it said it was done before the files were copied, like the tutorial's code, which prints \"拷贝完毕\" too early. Start every process first, then join() every one of them, and only then return.",
        "zh": "copy_folder 返回时，{total} 个拷贝中还有 {running} 个在进行（最后一个在 {late_ms} 毫秒之后才结束）：文件还没拷完它就说完成了，就像教程的代码过早打印“拷贝完毕”一样。请先启动所有进程，再对每个进程 join()，然后才返回。",
    },
    "copies_one_at_a_time": {
        "en": "copy_folder waited for the copy of {waited} before it had started the copies of the other {others} file(s): it copied one file at a time, so the processes never ran at the same time (the tutorial's copier exists to copy at the same time). Start every process first, in one loop; then join() them all, in a second loop.",
        "zh": "copy_folder 在启动其余 {others} 个文件的拷贝之前，就先等待了 {waited} 的拷贝：它一次只拷贝一个文件，这些进程从来没有同时运行（教程的拷贝器就是为了同时拷贝）。请先在一个循环里启动所有进程，再在第二个循环里对它们逐个 join()。",
    },
    "subfolder_not_skipped": {
        "en": "copy_folder treated the subfolder {name!r} of source_dir like a file{how}. Skip subfolders: copy only the names for which os.path.isfile(os.path.join(source_dir, name)) is true.",
        "zh": "copy_folder 把 source_dir 里的子文件夹 {name!r} 当成了文件{how}。请跳过子文件夹：只拷贝 os.path.isfile(os.path.join(source_dir, name)) 为真的那些名字。",
    },
    "failure_not_reported": {
        "en": "The copy of {name!r} failed in its child process (the grader made it fail), yet copy_folder returned {result} as if all went well. An exception in a child never reaches the main process: after join(), check each process's exitcode and raise an exception naming the files whose exitcode is not 0.",
        "zh": "{name!r} 的拷贝在它的子进程里失败了（是评分程序故意让它失败的），但 copy_folder 却像一切正常一样返回了 {result}。子进程里的异常不会传到主进程：join() 之后要检查每个进程的 exitcode，对 exitcode 不为 0 的文件抛出异常，并写出它们的文件名。",
    },
    "failure_not_named": {
        "en": "The copy of {name!r} failed in its child process and copy_folder raised {error}, but its message does not name the file. Say which file(s) failed, e.g. raise RuntimeError(f\"copy failed for: {{failed}}\").",
        "zh": "{name!r} 的拷贝在子进程里失败了，copy_folder 抛出了 {error}，但异常信息里没有写出文件名。请写明是哪个（些）文件失败了，例如 raise RuntimeError(f\"copy failed for: {{failed}}\")。",
    },
    "missing_source_not_reported": {
        "en": "copy_folder was given a source_dir that does not exist and returned {result}. It must raise FileNotFoundError: os.listdir(source_dir) raises it by itself, so do not catch it.",
        "zh": "copy_folder 收到一个不存在的 source_dir，却返回了 {result}。它应当抛出 FileNotFoundError：os.listdir(source_dir) 自己就会抛出，不要把它捕获掉。",
    },
    "wrong_exception": {
        "en": "copy_folder was given a source_dir that does not exist and raised {error}; expected FileNotFoundError (os.listdir(source_dir) raises it: let it through).",
        "zh": "copy_folder 收到一个不存在的 source_dir，抛出的是 {error}；预期是 FileNotFoundError（os.listdir(source_dir) 会抛出它：让它抛出去即可）。",
    },
})


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
                  gate: gates.Gate | None = None) -> None:
    """Put a probe in place of the learner's copy_file (sleeping ``delay`` in a child, failing for ``fail_for``,
    waiting at ``gate`` first)."""
    if not callable(getattr(learner, "copy_file", None)):
        raise Mistake("no_copy_file")
    bound: dict[str, Any] = {"grader_function": (learner.__name__, "copy_file"), "grader_delay": delay}
    if fail_for is not None:
        bound["grader_fail_for"] = fail_for
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


@check("a copy that fails in its process makes copy_folder raise, naming the file",
       "某个文件在子进程里拷贝失败时，copy_folder 抛出异常并写出文件名", points=2, blame=FUNCTION)
def test_failed_copy_raises(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                            workdir: Path, start_cost: float) -> None:
    source = workdir / "source"
    files = _make_files(rng, source, rng.randint(2, 3))
    victim = rng.choice(sorted(files))
    _watch_copies(observer, learner, fail_for=victim)
    outcome = _run(grading, learner, observer, source, workdir / "dest", _patience(start_cost))
    _expect_names_not_paths(observer.calls("copy_file"), files)
    if not any(_file_name(c) == victim for c in observer.calls("copy_file")):
        if outcome.raised is not None:
            raise outcome.raised
        raise Mistake("copy_file_not_called_for", name=victim)
    if outcome.raised is None:
        raise Mistake("failure_not_reported", name=victim, result=repr(outcome.result)[:80])
    if outcome.raised.key != "raised" or not copy_data.mentions(outcome.cause, victim):
        raise Mistake("failure_not_named", name=victim, error=outcome.error_text()[:300] or outcome.raised.key)


@check("a missing source_dir raises FileNotFoundError", "source_dir 不存在时抛出 FileNotFoundError", blame=FUNCTION)
def test_missing_source_raises(learner: Any, grading: Grading, observer: Observer, rng: random.Random,
                               workdir: Path, start_cost: float) -> None:
    source = workdir / f"no such folder {rng.randrange(1000)}"
    outcome = _run(grading, learner, observer, source, workdir / "dest", _patience(start_cost))
    if outcome.raised is None:
        raise Mistake("missing_source_not_reported", result=repr(outcome.result)[:80])
    if not isinstance(outcome.cause, FileNotFoundError):
        raise Mistake("wrong_exception", error=outcome.error_text()[:300] or outcome.raised.key)
