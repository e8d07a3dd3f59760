"""Checks of ex05_process_ids: ``report_ids(label)`` and ``start_reporters(count) -> list``.

What ``report_ids`` prints is compared with the ids of the very process that printed it, as the
kernel told the witness (its pid and its parent), never with ids the grader guesses or the host
claims: under ``forkserver`` a child's ``os.getppid()`` is the fork server's pid, not the caller's,
and that is what a correct ``report_ids`` prints. ``start_reporters`` is run in the learner host with
``report_ids`` replaced by a probe in the learner's module (and in every process it starts), so each
child's call is seen with its own pid, its label and what it printed, however the output interleaves.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest

from grader.grading.fixtures import Grading, module_scene
from grader.grading.host_channel import Played, Scene, SeenCall

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import check, check_named, expect_finished_cleanly, expect_new_process, plain_errors

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"); the scenes are grader.inside.scenes.ex05_process_ids.
HOST_MISTAKES = ()

MESSAGES = messages.define(__name__, {
    "printed_nothing": {
        "en": "report_ids({label!r}) printed nothing. It must print one line: {expected!r} (print it; returning the text is not enough).",
        "zh": "report_ids({label!r}) 什么也没有打印。它应当打印一行：{expected!r}（要 print 出来；只返回这段文字是不够的）。",
    },
    "wrong_format": {
        "en": "report_ids({label!r}) printed {printed!r}; expected exactly one line {expected!r}, i.e. f\"{{label}} pid={{os.getpid()}} ppid={{os.getppid()}}\".",
        "zh": "report_ids({label!r}) 打印的是 {printed!r}；预期正好一行 {expected!r}，也就是 f\"{{label}} pid={{os.getpid()}} ppid={{os.getppid()}}\"。",
    },
    "wrong_label": {
        "en": "report_ids({label!r}) printed the label {printed!r}; expected {label!r} at the start of the line: {expected!r}.",
        "zh": "report_ids({label!r}) 打印的标签是 {printed!r}；行首预期是 {label!r}：{expected!r}。",
    },
    "ids_swapped": {
        "en": "report_ids({label!r}) printed pid={printed_pid} ppid={printed_ppid}: the two ids are swapped. In that process os.getpid() was {pid} and os.getppid() was {ppid}. Print pid={{os.getpid()}} ppid={{os.getppid()}}.",
        "zh": "report_ids({label!r}) 打印的是 pid={printed_pid} ppid={printed_ppid}：两个编号写反了。在那个进程里 os.getpid() 是 {pid}，os.getppid() 是 {ppid}。请打印 pid={{os.getpid()}} ppid={{os.getppid()}}。",
    },
    "wrong_pid": {
        "en": "report_ids({label!r}) ran in the process with pid {pid} {where}, but printed pid={printed_pid}{whose}. Call os.getpid() inside report_ids, each time it runs: a value read once (at import, or in the main process) is another process's id.",
        "zh": "report_ids({label!r}) 在进程编号为 {pid} 的进程里运行（{where}），但打印的是 pid={printed_pid}{whose}。请在 report_ids 里面、每次运行时调用 os.getpid()：只读取一次的值（在导入时或在主进程里读取的）是别的进程的编号。",
    },
    "wrong_ppid": {
        "en": "report_ids({label!r}) ran in the process with pid {pid} {where}, whose os.getppid() was {ppid}, but it printed ppid={printed_ppid}{whose}. Print os.getppid(), called inside report_ids.",
        "zh": "report_ids({label!r}) 在进程编号为 {pid} 的进程里运行（{where}），那里的 os.getppid() 是 {ppid}，但打印的是 ppid={printed_ppid}{whose}。请打印在 report_ids 里面调用的 os.getppid()。",
    },
    "ppid_from_parent_process": {
        "en": "report_ids({label!r}) printed ppid={printed_ppid}, the pid of multiprocessing.parent_process(), but os.getppid() in that process was {ppid}. Under the forkserver start method (the Linux default from Python 3.14) a child's parent in the operating system is the fork server ({ppid}), not the process that called start() ({printed_ppid}). The exercise asks for os.getppid().",
        "zh": "report_ids({label!r}) 打印的 ppid={printed_ppid} 是 multiprocessing.parent_process() 的编号，但那个进程里的 os.getppid() 是 {ppid}。在 forkserver 启动方式下（Python 3.14 起 Linux 的默认方式），子进程在操作系统里的父进程是“进程服务器”（{ppid}），而不是调用 start() 的进程（{printed_ppid}）。本练习要求打印 os.getppid()。",
    },
    "wrong_labels": {
        "en": "start_reporters({count}) ran report_ids with the labels {got}; expected each of {expected} exactly once: process i runs report_ids(f\"child-{{i}}\"), for i in range(count).",
        "zh": "start_reporters({count}) 调用 report_ids 时用的标签是 {got}；预期 {expected} 每个正好一次：第 i 个进程执行 report_ids(f\"child-{{i}}\")，i 取 range(count)。",
    },
    "reporters_share_processes": {
        "en": "start_reporters({count}) ran report_ids {calls} times but in only {processes} process(es) ({pids}). Each report_ids(f\"child-{{i}}\") needs a process of its own.",
        "zh": "start_reporters({count}) 调用了 {calls} 次 report_ids，但只用了 {processes} 个进程（{pids}）。每个 report_ids(f\"child-{{i}}\") 都需要自己的进程。",
    },
    "reporters_not_joined": {
        "en": "start_reporters({count}) returned after {returned:.3f} s while {running} of its processes (pid {pids}) were still running. join() every process before returning, so the caller knows they have all finished.",
        "zh": "start_reporters({count}) 在 {returned:.3f} 秒时就返回了，而它的 {running} 个进程（进程编号 {pids}）还在运行。返回之前要对每个进程 join()，这样调用者才知道它们都已经结束。",
    },
    "not_a_list": {
        "en": "start_reporters({count}) returned {got}; expected the list of the {count} Process objects it started.",
        "zh": "start_reporters({count}) 返回了 {got}；预期返回它启动的 {count} 个 Process 进程对象组成的列表。",
    },
    "returned_tuple": {
        "en": "start_reporters({count}) returned a tuple of {size} item(s); expected a list. The function is declared -> list and its docstring says \"return the list of them\": collect the processes in a list (processes.append(process)) and return that list itself, not a tuple made of it.",
        "zh": "start_reporters({count}) 返回了一个有 {size} 个元素的元组（tuple）；预期返回列表（list）。函数声明的是 -> list，文档字符串也要求返回它们组成的列表：请把进程收集到一个列表里（processes.append(process)），直接返回这个列表，而不是由它转换成的元组。",
    },
    "returned_empty": {
        "en": "start_reporters({count}) returned an empty list, though it started {started} process(es). Append each process to the list when you create it, and return that list.",
        "zh": "start_reporters({count}) 返回了一个空列表，但它启动了 {started} 个进程。每创建一个进程就把它加进列表，最后返回这个列表。",
    },
    "returned_pids": {
        "en": "start_reporters({count}) returned the process ids {got}; expected the Process objects themselves (whose .pid are those ids).",
        "zh": "start_reporters({count}) 返回的是进程编号 {got}；预期返回 Process 进程对象本身（它们的 .pid 才是这些编号）。",
    },
    "not_processes": {
        "en": "start_reporters({count}) returned a list holding {got}; expected only the Process objects it started.",
        "zh": "start_reporters({count}) 返回的列表里有 {got}；预期里面只有它启动的 Process 进程对象。",
    },
    "wrong_processes": {
        "en": "start_reporters({count}) returned {returned} process(es) with pids {returned_pids}, but report_ids ran in the processes {ran_pids}. Return exactly the {count} processes that ran report_ids, each once.",
        "zh": "start_reporters({count}) 返回了 {returned} 个进程，进程编号是 {returned_pids}，但 report_ids 是在进程 {ran_pids} 里运行的。请正好返回运行 report_ids 的那 {count} 个进程，每个一次。",
    },
    "ids_here": {
        "en": "In the grading process: pid={pid} ppid={ppid}, as printed.",
        "zh": "在评分进程中：pid={pid} ppid={ppid}，与打印的一致。",
    },
    "ids_in_child": {
        "en": "In the child: pid={pid} ppid={ppid}, as printed; the process that started it is {caller}.",
        "zh": "在子进程中：pid={pid} ppid={ppid}，与打印的一致；启动它的进程是 {caller}。",
    },
    "ids_in_child_forkserver": {
        "en": "In the child: pid={pid} ppid={ppid}, as printed. The process that called start() is {caller}, but under the forkserver start method the child's parent in the operating system is the fork server ({ppid}), so os.getppid() gives its pid. multiprocessing.parent_process().pid would give {caller}.",
        "zh": "在子进程中：pid={pid} ppid={ppid}，与打印的一致。调用 start() 的进程是 {caller}，但在 forkserver 启动方式下，子进程在操作系统里的父进程是“进程服务器”（{ppid}），所以 os.getppid() 得到的是它的编号。multiprocessing.parent_process().pid 得到的才是 {caller}。",
    },
    "reporters_for_none": {
        "en": "start_reporters(0) started {started} process(es) and ran report_ids {calls} time(s) ({labels}); with count 0 there is no child to start: range(0) is empty, so start none and return an empty list.",
        "zh": "start_reporters(0) 启动了 {started} 个进程，调用了 {calls} 次 report_ids（{labels}）；count 为 0 时不应启动任何子进程：range(0) 是空的，所以一个也不启动，返回空列表。",
    },
    "reporters_one_at_a_time": {
        "en": "start_reporters({count}) waited for the process of {label} (pid {pid}) when it had started only {started} of its {count} processes: {how}. Start every process first, in one loop; then join() them all, in a second loop.",
        "zh": "start_reporters({count}) 在 {count} 个进程中只启动了 {started} 个时，就开始等待 {label} 的进程（进程编号 {pid}）：{how}。请先在一个循环里启动所有进程，再在第二个循环里对它们逐个 join()。",
    },
})

LABELS = ("main", "主进程", "parent", "老板", "grader", "评分")
LINE = re.compile(r"(.*?) pid=(-?\d+) ppid=(-?\d+)")


@dataclass(frozen=True)
class Report:
    """One call of report_ids: the process that made it as the witness saw it, and what it printed."""

    label: str
    pid: int
    ppid: int | None  # the process's parent, the kernel's word (os.getppid() there)
    parent_pid: int | None  # the process that started it (multiprocessing's parent_process()), None in the host
    how: str
    thread_name: str
    args: list
    kwargs: dict
    end: float | None
    error: dict | None
    text: str  # what the call printed (the learner's own output, as the host recorded it)


def _reports(played: Played) -> list[Report]:
    """The calls of report_ids in ``played``, in the order they started, each with what it printed."""
    return [_report_of(call, record, played.caller) for call, record in played.with_records("report_ids")]


def _report_of(call: SeenCall, record: dict[str, Any], caller: int) -> Report:
    output = record.get("output") if isinstance(record.get("output"), list) else []
    text = "".join(str(chunk[1]) for chunk in output if isinstance(chunk, (list, tuple)) and len(chunk) == 2)
    # Without a witness (no SO_PEERCRED), the host's records are all there is: its child's own getppid().
    ppid = call.parent if call.witnessed else record.get("ppid")
    if call.pid == caller:
        parent_pid = None
    elif call.witnessed:
        parent_pid = call.grandparent if call.parent_is_forkserver else call.parent
    else:
        parent_pid = call.parent
    return Report(call.label, call.pid, ppid if isinstance(ppid, int) else None, parent_pid, call.how,
                  call.thread_name, call.args, call.kwargs, call.end, call.error, text)


def _where(call: Report, caller: int) -> Text:
    """Where the call ran, for the learner."""
    if call.pid == caller:
        return Text("(the main process)", "主进程")
    return Text(f"(a child process of {caller})", f"{caller} 的子进程")


def _whose(printed: int, call: Report, caller: int) -> Text:
    """Whose id a wrong number printed is, when the grader knows it (else no text)."""
    if printed == caller and call.pid != caller:
        return Text(", the main process's id", "，这是主进程的编号")
    if printed == call.ppid:
        return Text(", its parent's id", "，这是父进程的编号")
    if printed == call.pid:
        return Text(", its own id", "，这是它自己的编号")
    return NO_TEXT


def expect_report(call: Report, label: str, caller: int) -> None:
    """Fail unless ``call`` printed exactly ``<label> pid=<its pid> ppid=<its ppid>``."""
    expect_finished_cleanly(call, "report_ids")  # type: ignore[arg-type]
    expected = f"{label} pid={call.pid} ppid={call.ppid}"
    printed = call.text.strip()
    if printed == expected:
        return
    if not printed:
        raise Mistake("printed_nothing", label=label, expected=expected)
    found = LINE.fullmatch(printed)
    if found is None:
        raise Mistake("wrong_format", label=label, printed=printed[:300], expected=expected)
    got_label, pid, ppid = found.group(1), int(found.group(2)), int(found.group(3))
    if got_label != label:
        raise Mistake("wrong_label", label=label, printed=got_label[:100], expected=expected)
    where = _where(call, caller)
    if pid != call.pid and (pid, ppid) == (call.ppid, call.pid):
        raise Mistake("ids_swapped", label=label, printed_pid=pid, printed_ppid=ppid, pid=call.pid, ppid=call.ppid)
    if pid != call.pid:
        raise Mistake("wrong_pid", label=label, pid=call.pid, printed_pid=pid, where=where,
                      whose=_whose(pid, call, caller))
    if call.parent_pid is not None and ppid == call.parent_pid != call.ppid:
        raise Mistake("ppid_from_parent_process", label=label, printed_ppid=ppid, ppid=call.ppid)
    raise Mistake("wrong_ppid", label=label, pid=call.pid, ppid=call.ppid, printed_ppid=ppid, where=where,
                  whose=_whose(ppid, call, caller))


def _one_call(played: Played) -> Report:
    """The grader's one call of report_ids (a child that died before calling it left no record)."""
    failure = played.kept_mistake("call_failure")
    if failure is not None:
        raise failure
    calls = _reports(played)
    if not calls:
        raise Mistake("never_ran", function="report_ids", expected=1)
    return calls[0]


@check("report_ids prints its label, pid and ppid", "report_ids 打印标签、pid 和 ppid", blame="report_ids")
def test_report_ids_in_this_process(scene: Scene, rng: Any, feedback: Any) -> None:
    label = f"{rng.choice(LABELS)}-{rng.randint(100, 999)}"
    played = scene.play("here", label=label)
    call = _one_call(played)
    expect_report(call, label, played.caller)
    feedback.note("ids_here", pid=call.pid, ppid=call.ppid)


@check("report_ids in a child prints the child's own ids", "report_ids 在子进程中打印子进程自己的编号",
       blame="report_ids")
def test_report_ids_in_a_child(scene: Scene, rng: Any, feedback: Any) -> None:
    label = f"child-{rng.randint(100, 999)}"
    played = scene.play("in_child", label=label)
    call = _one_call(played)
    expect_report(call, label, played.caller)
    key = "ids_in_child_forkserver" if call.ppid != played.caller else "ids_in_child"
    feedback.note(key, pid=call.pid, ppid=call.ppid, caller=played.caller)


@dataclass
class Reporting:
    """What one call of start_reporters did, as the host played it."""

    count: int
    caller: int = 0
    called: float = 0.0
    returned: float = 0.0
    result: dict[str, Any] = field(default_factory=dict)  # its kind, repr and items, as the host described them
    failure: Mistake | None = None
    calls: list[Report] = field(default_factory=list)
    started: list[int] = field(default_factory=list)
    alive_at_return: list[int] = field(default_factory=list)
    unfinished_at_return: list[int] = field(default_factory=list)  # held at the grader's gate, or not yet there
    first_waited: int | None = None  # the pid the grader first let through, while the caller waited for it
    started_when_first_waited: int | None = None  # how many processes the caller had started by then


def _report(scene: Scene, count: int, time_limit: float) -> Reporting:
    """Have the host call start_reporters(count) once, with report_ids recorded and gated in every process it
    starts (grader.inside.scenes.ex05_process_ids.reporters): whatever the machine's speed, a caller that
    returns without joining them all returns with one still held, and one that waits for a child before it
    has started them all waits for a child held."""
    played = scene.play("reporters", count=count, time_limit=time_limit)
    seen = played.observation
    run = Reporting(count=count, caller=played.caller, failure=plain_errors.unportable(seen.get("targets", [])) or played.kept_mistake("call_failure"),
                    calls=_reports(played))
    if run.failure is None:
        run.called, run.returned = float(seen["called"]), float(seen["returned"])
        run.result = dict(seen["result"])
        run.started = [int(p) for p in seen.get("started", [])]
        run.alive_at_return = [int(p) for p in seen.get("alive_at_return", [])]
        run.unfinished_at_return = [int(p) for p in seen.get("unfinished_at_return", [])]
        if seen.get("first_waited") is not None:
            run.first_waited = int(seen["first_waited"])
            run.started_when_first_waited = int(seen.get("started_when_first_waited") or 0)
    elif run.failure.key == "joined_before_start":
        # run() then join(): "can only join a started process" is told as the run-versus-start mistake.
        for call in run.calls:
            expect_new_process(call, run.caller)  # type: ignore[arg-type]
    return run


def _scene(grading: Grading, time_limit: float) -> Scene:
    """The scene of the module's calls of start_reporters, which several checks judge."""
    first = check_named(__name__, "test_start_reporters_runs_each_label_in_a_process")
    return module_scene(grading, first.title.en, time_limit, first.blame)


@pytest.fixture(scope="module")
def reporting(grading: Grading, time_limit: float) -> Iterator[Reporting]:
    """start_reporters called once, for a count of 2-5."""
    rng = random.Random(f"{grading.seed}/start_reporters")
    scene = _scene(grading, time_limit)
    run = _report(scene, rng.randint(2, 5), time_limit)
    yield run
    scene.raise_leak()


@pytest.fixture(scope="module")
def reporting_edges(grading: Grading, time_limit: float) -> Iterator[list[Reporting]]:
    """start_reporters(1) and start_reporters(0), the edges every run holds, called by the check that
    judges them (so a slow but correct caller spends that check's time limit, not another's)."""
    scene = _scene(grading, time_limit)
    runs = [_report(scene, 1, time_limit)]
    scene.raise_leak()  # what the first left running is its leak, before the next call starts clean
    runs.append(_report(scene, 0, time_limit))
    yield runs
    scene.raise_leak()


def _label(call: Report) -> str:
    """The label a call of report_ids got, however it was passed."""
    if len(call.args) == 1 and not call.kwargs:
        return call.args[0]
    if not call.args and list(call.kwargs) == ["label"]:
        return call.kwargs["label"]
    return "report_ids" + repr((*call.args, *(f"{k}={v!r}" for k, v in call.kwargs.items())))


def _checked_calls(run: Reporting) -> list[Report]:
    """The calls of report_ids, each in a new child of the caller, one per label child-0..child-{count-1}."""
    if run.failure is not None:
        raise run.failure
    if run.count == 0:
        if run.calls or run.started:
            raise Mistake("reporters_for_none", started=len(run.started), calls=len(run.calls),
                          labels=", ".join(repr(_label(c)) for c in run.calls) or "-")
        return []
    if not run.calls:
        raise Mistake("never_ran", function="report_ids", expected=run.count)
    for call in run.calls:
        expect_new_process(call, run.caller, "report_ids")  # type: ignore[arg-type]
        if call.parent_pid != run.caller:
            raise Mistake("not_a_child", function="report_ids", pid=call.pid, parent=call.parent_pid,
                          caller=run.caller)
    expected = [f"child-{i}" for i in range(run.count)]
    got = sorted((_label(c) for c in run.calls), key=lambda label: (len(label), label))
    if got != expected:
        raise Mistake("wrong_labels", count=run.count, got=", ".join(repr(g) for g in got),
                      expected=", ".join(repr(e) for e in expected))
    pids = sorted({c.pid for c in run.calls})
    if len(pids) != len(run.calls):
        raise Mistake("reporters_share_processes", count=run.count, calls=len(run.calls), processes=len(pids),
                      pids=", ".join(map(str, pids)))
    for call in run.calls:
        expect_finished_cleanly(call, "report_ids")  # type: ignore[arg-type]
    return run.calls


@check("start_reporters runs report_ids(f\"child-{i}\") in count new processes",
       "start_reporters 在 count 个新进程中执行 report_ids(f\"child-{i}\")", blame="start_reporters")
def test_start_reporters_runs_each_label_in_a_process(reporting: Reporting) -> None:
    _checked_calls(reporting)


@check("start_reporters starts them all before it waits for any", "start_reporters 先全部启动，再等待它们",
       blame="start_reporters")
def test_start_reporters_starts_all_before_waiting(reporting: Reporting) -> None:
    _expect_all_started_first(reporting)


def _expect_all_started_first(reporting: Reporting) -> None:
    # The child start_reporters first waits for is held at the gate until it waits: a caller that
    # waits before it has started the others cannot have started them, however the machine runs.
    calls = _checked_calls(reporting)
    if reporting.first_waited is not None:
        label = next((_label(c) for c in calls if c.pid == reporting.first_waited), "?")
        started = reporting.started_when_first_waited or 0
        if started <= 1:
            how = Text("it ran the reporters one at a time (start, join, start, join), so they never ran at the same time",
                       "它让这些进程一个接一个地运行（start、join、start、join），它们从来没有同时运行")
        else:
            others = reporting.count - started
            how = Text(f"the remaining {others} process(es) started only after it had ended, so they did not all run at the same time",
                       f"其余 {others} 个进程要等它结束之后才启动，所以它们并没有全部同时运行")
        raise Mistake("reporters_one_at_a_time", count=reporting.count, label=label, pid=reporting.first_waited,
                      started=started, how=how)


@check("start_reporters returns only after all its processes ended", "start_reporters 在所有进程结束之后才返回",
       blame="start_reporters")
def test_start_reporters_waits_for_all(reporting: Reporting) -> None:
    _expect_all_ended_at_return(reporting)


def _expect_all_ended_at_return(reporting: Reporting) -> None:
    calls = _checked_calls(reporting)
    late = {c.pid for c in calls if c.end is None or c.end > reporting.returned}
    late |= set(reporting.alive_at_return)
    late |= set(reporting.unfinished_at_return)
    if late:
        raise Mistake("reporters_not_joined", count=reporting.count, returned=reporting.returned - reporting.called,
                      running=len(late), pids=", ".join(map(str, sorted(late))))


@check("start_reporters returns the list of its Process objects", "start_reporters 返回它的 Process 进程对象列表",
       blame="start_reporters")
def test_start_reporters_returns_the_processes(reporting: Reporting) -> None:
    _expect_the_processes_returned(reporting)


def _expect_the_processes_returned(reporting: Reporting) -> None:
    calls = _checked_calls(reporting)
    result, count = reporting.result, reporting.count
    items = list(result.get("items") or [])
    ran = sorted(c.pid for c in calls)
    if result.get("kind") == "tuple":
        raise Mistake("returned_tuple", count=count, size=len(items))
    if result.get("kind") != "list":
        raise Mistake("not_a_list", count=count, got=str(result.get("repr", ""))[:80])
    if not items and count > 0:
        raise Mistake("returned_empty", count=count, started=len(reporting.started))
    if items and all(i.get("kind") == "int" for i in items) and sorted(i.get("value") for i in items) == ran:
        raise Mistake("returned_pids", count=count, got=", ".join(str(i.get("value")) for i in items))
    others = [i for i in items if i.get("kind") != "process"]
    if others:
        raise Mistake("not_processes", count=count,
                      got=", ".join(str(i.get("repr", i.get("value")))[:40] for i in others[:3]))
    returned = [i.get("pid") for i in items]
    if sorted(returned, key=lambda p: p or 0) != ran:
        raise Mistake("wrong_processes", count=count, returned=len(items),
                      returned_pids=", ".join(str(p) if p else "never started" for p in returned),
                      ran_pids=", ".join(map(str, ran)))


@check("start_reporters(1) and start_reporters(0) do the same, with one child and with none",
       "start_reporters(1) 和 start_reporters(0) 也一样：一个子进程，以及没有子进程", blame="start_reporters")
def test_start_reporters_with_one_and_none(reporting_edges: list[Reporting]) -> None:
    # The edges every run holds, judged as the count drawn for the checks above.
    for run in reporting_edges:
        _expect_all_started_first(run)
        _expect_all_ended_at_return(run)
        _expect_the_processes_returned(run)
