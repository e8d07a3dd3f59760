"""Checks of ex05_process_ids: ``report_ids(label)`` and ``start_reporters(count) -> list``.

What ``report_ids`` prints is compared with the ids that a probe read in the very process that
printed it (``os.getpid()`` and ``os.getppid()`` there), never with ids the grader guesses: under
``forkserver`` a child's ``os.getppid()`` is the fork server's pid, not the caller's, and that is
what a correct ``report_ids`` prints. ``start_reporters`` is run with ``report_ids`` replaced by a
probe in the learner's module (and in every process it starts), so each child's call is recorded
with its own pid, its label and what it printed, however the children's output interleaves.
"""

from __future__ import annotations

import multiprocessing
import random
import re
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any, Iterator

import pytest

from grader.grading.fixtures import Grading, Observer, call_learner, call_patched
from grader.grading.gatekeeper import gatekeeper
from grader.inside import tasks
from grader.inside.observe import Call, StartedProcess

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import check, expect_finished_cleanly, expect_new_process, plain_errors

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


def _where(call: Call, caller: int) -> Text:
    """Where the call ran, for the learner."""
    if call.pid == caller:
        return Text("(the main process)", "主进程")
    return Text(f"(a child process of {caller})", f"{caller} 的子进程")


def _whose(printed: int, call: Call, caller: int) -> Text:
    """Whose id a wrong number printed is, when the grader knows it (else no text)."""
    if printed == caller and call.pid != caller:
        return Text(", the main process's id", "，这是主进程的编号")
    if printed == call.ppid:
        return Text(", its parent's id", "，这是父进程的编号")
    if printed == call.pid:
        return Text(", its own id", "，这是它自己的编号")
    return NO_TEXT


def expect_report(call: Call, label: str, caller: int) -> None:
    """Fail unless ``call`` printed exactly ``<label> pid=<its pid> ppid=<its ppid>``."""
    expect_finished_cleanly(call, "report_ids")
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


def _one_call(observer: Observer) -> Call:
    """The grader's one call of report_ids (a child that died before calling it left no record)."""
    calls = observer.calls("report_ids")
    if not calls:
        raise Mistake("never_ran", function="report_ids", expected=1)
    return calls[0]


@check("report_ids prints its label, pid and ppid", "report_ids 打印标签、pid 和 ppid", blame="report_ids")
def test_report_ids_in_this_process(learner: Any, grading: Grading, observer: Observer, rng: Any,
                                    feedback: Any) -> None:
    label = f"{rng.choice(LABELS)}-{rng.randint(100, 999)}"
    probe = observer.probe(learner.report_ids, label="report_ids")
    call_learner(grading, probe, label)
    call = _one_call(observer)
    expect_report(call, label, grading.pid)
    feedback.note("ids_here", pid=call.pid, ppid=call.ppid)


@check("report_ids in a child prints the child's own ids", "report_ids 在子进程中打印子进程自己的编号",
       blame="report_ids")
def test_report_ids_in_a_child(learner: Any, grading: Grading, observer: Observer, rng: Any, start_cost: float,
                               feedback: Any) -> None:
    label = f"child-{rng.randint(100, 999)}"
    process = multiprocessing.Process(target=observer.probe(learner.report_ids, label="report_ids"), args=(label,))
    process.start()
    process.join(5.0 + 20 * start_cost)
    call = _one_call(observer)
    expect_report(call, label, grading.pid)
    key = "ids_in_child_forkserver" if call.ppid != grading.pid else "ids_in_child"
    feedback.note(key, pid=call.pid, ppid=call.ppid, caller=grading.pid)


@dataclass
class Reporting:
    """What one call of start_reporters did."""

    count: int
    called: float = 0.0
    returned: float = 0.0
    result: Any = None
    failure: Mistake | None = None
    calls: list[Call] = field(default_factory=list)
    started: list[StartedProcess] = field(default_factory=list)
    alive_at_return: list[StartedProcess] = field(default_factory=list)
    unfinished_at_return: list[int] = field(default_factory=list)  # held at the grader's gate, or not yet there
    first_waited: int | None = None  # the pid the grader first let through, while the caller waited for it
    started_when_first_waited: int | None = None  # how many processes the caller had started by then
    watcher: Any = None  # the Observer of this call
    mark: int = 0  # the process registry's mark when it began


def _report(learner: Any, grading: Grading, start_cost: float, time_limit: float, count: int) -> Reporting:
    """Call start_reporters(count) once, with report_ids recorded (and gated) in every process it starts.

    Each child's report_ids waits at a gate that the grader opens only while start_reporters waits,
    for a child it waits for, the one started last first: a start_reporters that returns without
    joining them all returns while one is still held, and one that waits for a child before it has
    started them all waits for a child held, so it cannot have started the others meanwhile;
    whatever the machine's speed.
    """
    run = Reporting(count=count)
    grading.registry.set_mark()
    run.mark = grading.registry.mark
    run.watcher = watcher = Observer(grading, grading.scratch / f"start_reporters-{count}")
    gate, keeper = gatekeeper(watcher.folder / "gate", watcher.started, grading.is_learner_file, start_cost,
                              time_limit, expected=count, outwait_timeouts=True)
    watcher.patch(learner, "report_ids", task=tasks.learner_function_as_told,
                  bound={"grader_function": (learner.__name__, "report_ids"), "grader_gate": gate})
    with keeper:
        call = call_patched(grading, watcher, learner.start_reporters, count)
    run.result, run.called, run.returned, run.failure = call.result, call.called, call.returned, call.failure
    run.started, run.alive_at_return = call.started, call.alive_at_return
    run.unfinished_at_return = keeper.unfinished_at_return
    if keeper.waited_before_starting_all:
        run.first_waited, run.started_when_first_waited = keeper.released[0], keeper.started_when_first_waited
    run.failure = plain_errors.explained(run.failure, run.started, watcher.calls("report_ids"), grading.pid)
    # Code that forgot join() returns before its children are done: wait for them before reading.
    for entry in run.started:
        entry.wait(5.0 + 20 * start_cost)
    run.calls = watcher.calls("report_ids")
    return run


def _stop_leftovers(runs: list[Reporting], grading: Grading, start_cost: float) -> None:
    """The leak check over the processes of ``runs`` (each call marked its own: back to the first's mark)."""
    grading.registry.mark = runs[0].mark
    runs[0].watcher.stop_leftovers(grace=1.0 + 10 * start_cost, function="start_reporters")


@pytest.fixture(scope="module")
def reporting(learner: Any, grading: Grading, start_cost: float, time_limit: float) -> Iterator[Reporting]:
    """start_reporters called once, for a count of 2-5."""
    rng = random.Random(f"{grading.seed}/start_reporters")
    run = _report(learner, grading, start_cost, time_limit, rng.randint(2, 5))
    yield run
    _stop_leftovers([run], grading, start_cost)


@pytest.fixture(scope="module")
def reporting_edges(learner: Any, grading: Grading, start_cost: float, time_limit: float) -> Iterator[list[Reporting]]:
    """start_reporters(1) and start_reporters(0), the edges every run holds, called by the check that
    judges them (so a slow but correct caller spends that check's time limit, not another's)."""
    runs = [_report(learner, grading, start_cost, time_limit, count) for count in (1, 0)]
    yield runs
    _stop_leftovers(runs, grading, start_cost)


def _label(call: Call) -> str:
    """The label a call of report_ids got, however it was passed."""
    if len(call.args) == 1 and not call.kwargs:
        return call.args[0]
    if not call.args and list(call.kwargs) == ["label"]:
        return call.kwargs["label"]
    return "report_ids" + repr((*call.args, *(f"{k}={v!r}" for k, v in call.kwargs.items())))


def _checked_calls(run: Reporting, grading: Grading) -> list[Call]:
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
        expect_new_process(call, grading.pid, "report_ids")
        if call.parent_pid != grading.pid:
            raise Mistake("not_a_child", function="report_ids", pid=call.pid, parent=call.parent_pid,
                          caller=grading.pid)
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
        expect_finished_cleanly(call, "report_ids")
    return run.calls


@check("start_reporters runs report_ids(f\"child-{i}\") in count new processes",
       "start_reporters 在 count 个新进程中执行 report_ids(f\"child-{i}\")", blame="start_reporters")
def test_start_reporters_runs_each_label_in_a_process(reporting: Reporting, grading: Grading) -> None:
    _checked_calls(reporting, grading)


@check("start_reporters starts them all before it waits for any", "start_reporters 先全部启动，再等待它们",
       blame="start_reporters")
def test_start_reporters_starts_all_before_waiting(reporting: Reporting, grading: Grading) -> None:
    _expect_all_started_first(reporting, grading)


def _expect_all_started_first(reporting: Reporting, grading: Grading) -> None:
    # The child start_reporters first waits for is held at the gate until it waits: a caller that
    # waits before it has started the others cannot have started them, however the machine runs.
    calls = _checked_calls(reporting, grading)
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
def test_start_reporters_waits_for_all(reporting: Reporting, grading: Grading) -> None:
    _expect_all_ended_at_return(reporting, grading)


def _expect_all_ended_at_return(reporting: Reporting, grading: Grading) -> None:
    calls = _checked_calls(reporting, grading)
    late = {c.pid for c in calls if c.end is None or c.end > reporting.returned}
    late |= {e.pid for e in reporting.alive_at_return}
    late |= set(reporting.unfinished_at_return)
    if late:
        raise Mistake("reporters_not_joined", count=reporting.count, returned=reporting.returned - reporting.called,
                      running=len(late), pids=", ".join(map(str, sorted(late))))


def _pid_of(item: BaseProcess, started: list[StartedProcess]) -> int | None:
    """The pid of a returned process, read from the registry (a closed process no longer tells it)."""
    for entry in started:
        if entry.process is item:
            return entry.pid
    return None


@check("start_reporters returns the list of its Process objects", "start_reporters 返回它的 Process 进程对象列表",
       blame="start_reporters")
def test_start_reporters_returns_the_processes(reporting: Reporting, grading: Grading) -> None:
    _expect_the_processes_returned(reporting, grading)


def _expect_the_processes_returned(reporting: Reporting, grading: Grading) -> None:
    calls = _checked_calls(reporting, grading)
    result, count = reporting.result, reporting.count
    ran = sorted(c.pid for c in calls)
    if isinstance(result, tuple):
        raise Mistake("returned_tuple", count=count, size=len(result))
    if not isinstance(result, list):
        raise Mistake("not_a_list", count=count, got=repr(result)[:80])
    if not result and count > 0:
        raise Mistake("returned_empty", count=count, started=len(reporting.started))
    if result and all(isinstance(x, int) and not isinstance(x, bool) for x in result) and sorted(result) == ran:
        raise Mistake("returned_pids", count=count, got=", ".join(map(str, result)))
    others = [x for x in result if not isinstance(x, BaseProcess)]
    if others:
        raise Mistake("not_processes", count=count, got=", ".join(repr(x)[:40] for x in others[:3]))
    returned = [_pid_of(p, reporting.started) for p in result]
    if sorted(returned, key=lambda p: p or 0) != ran:
        raise Mistake("wrong_processes", count=count, returned=len(result),
                      returned_pids=", ".join(str(p) if p else "never started" for p in returned),
                      ran_pids=", ".join(map(str, ran)))


@check("start_reporters(1) and start_reporters(0) do the same, with one child and with none",
       "start_reporters(1) 和 start_reporters(0) 也一样：一个子进程，以及没有子进程", blame="start_reporters")
def test_start_reporters_with_one_and_none(reporting_edges: list[Reporting], grading: Grading) -> None:
    # The edges every run holds, judged as the count drawn for the checks above.
    for run in reporting_edges:
        _expect_all_started_first(run, grading)
        _expect_all_ended_at_return(run, grading)
        _expect_the_processes_returned(run, grading)
