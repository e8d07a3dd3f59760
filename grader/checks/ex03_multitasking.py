"""Checks of ex03_multitasking: ``sing``, ``dance`` and ``sing_and_dance``."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest

from grader.grading.fixtures import Grading, Observer, call_patched
from grader.inside.observe import Call
from grader.reports.timeline import call_bar

from .. import messages
from ..messages import Mistake
from . import plain_errors
from . import check, expect_calls, expect_finished_cleanly, expect_new_process, meeting_patience, timeline_bars
from .printing import expect_num_delay, expect_prints_alone

WORDS = {"sing": "唱歌。。。", "dance": "跳舞。。。"}

MESSAGES = messages.define(__name__, {
    "same_process": {
        "en": "sing and dance both ran in the same process (pid {pid}), so one had to wait for the other. Give each its own process: one Process with target=sing, another with target=dance.",
        "zh": "sing 和 dance 在同一个进程（进程编号 {pid}）里运行，所以一个必须等另一个结束。请给它们各自一个进程：一个 target=sing 的 Process，另一个 target=dance 的 Process。",
    },
    "one_after_the_other": {
        "en": "sing (pid {sing_pid}) and dance (pid {dance_pid}) ran in new processes, but one after the other, never at the same time: sing from {sing_start:.2f} s to {sing_end:.2f} s, dance from {dance_start:.2f} s to {dance_end:.2f} s. Did you join() the first before starting the second? Start both, then join both.",
        "zh": "sing（进程编号 {sing_pid}）和 dance（进程编号 {dance_pid}）虽然在新进程中运行，但是一个接一个，从未同时运行：sing 从 {sing_start:.2f} 秒到 {sing_end:.2f} 秒，dance 从 {dance_start:.2f} 秒到 {dance_end:.2f} 秒。是不是在启动第二个之前就对第一个调用了 join()？先把两个都 start()，再把两个都 join()。",
    },
    "returned_early": {
        "en": "sing_and_dance returned after {returned:.2f} s, but {function} (pid {pid}) was still running until {end:.2f} s. Call join() on both processes before returning, so the caller knows the work is done.",
        "zh": "sing_and_dance 在 {returned:.2f} 秒时就返回了，但 {function}（进程编号 {pid}）一直运行到 {end:.2f} 秒。返回之前请对两个进程都调用 join()，这样调用者才知道工作已经完成。",
    },
    "still_alive": {
        "en": "sing_and_dance returned after {returned:.2f} s while the process of {function} (pid {pid}) was still alive. Call join() on both processes before returning, so the caller knows the work is done.",
        "zh": "sing_and_dance 在 {returned:.2f} 秒时就返回了，而 {function} 的进程（进程编号 {pid}）还活着。返回之前请对两个进程都调用 join()，这样调用者才知道工作已经完成。",
    },
    "sing_dance_timings": {
        "en": "sing ran in pid {sing_pid} from {sing_start:.2f} s to {sing_end:.2f} s, dance in pid {dance_pid} from {dance_start:.2f} s to {dance_end:.2f} s (the caller is pid {caller}): {serial:.2f} s of work done in {both:.2f} s. sing_and_dance took {returned:.2f} s in all, starting two processes included.",
        "zh": "sing 在进程 {sing_pid} 中从 {sing_start:.2f} 秒运行到 {sing_end:.2f} 秒，dance 在进程 {dance_pid} 中从 {dance_start:.2f} 秒运行到 {dance_end:.2f} 秒（调用者是进程 {caller}）：{serial:.2f} 秒的工作在 {both:.2f} 秒内完成。sing_and_dance 总共用了 {returned:.2f} 秒，其中包括启动两个进程的时间。",
    },
})



@check("sing prints 唱歌。。。 num times, pausing delay between", "sing 打印 num 次“唱歌。。。”，每次间隔 delay 秒")
def test_sing_prints(learner: Any, grading: Grading, observer: Observer, rng: Any) -> None:
    expect_prints_alone(learner, grading, observer, rng, "sing", WORDS["sing"])


@check("dance prints 跳舞。。。 num times, pausing delay between", "dance 打印 num 次“跳舞。。。”，每次间隔 delay 秒")
def test_dance_prints(learner: Any, grading: Grading, observer: Observer, rng: Any) -> None:
    expect_prints_alone(learner, grading, observer, rng, "dance", WORDS["dance"])


@dataclass
class Performance:
    """What one call of sing_and_dance did."""

    num: int
    delay: float
    called: float = 0.0
    returned: float = 0.0
    failure: Mistake | None = None
    calls: dict[str, list[Call]] = field(default_factory=dict)
    alive_at_return: list[Any] = field(default_factory=list)
    started: list[Any] = field(default_factory=list)
    originals: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def performance(learner: Any, grading: Grading, start_cost: float, time_limit: float) -> Iterator[Performance]:
    """Call sing_and_dance once, with sing and dance recorded and made to meet if they run at once."""
    rng = random.Random(f"{grading.seed}/sing_and_dance")
    show = Performance(num=rng.randint(2, 4), delay=rng.choice([0.02, 0.03, 0.04]))
    grading.registry.set_mark()
    watcher = Observer(grading, grading.scratch / "sing_and_dance")
    # Spent only by code that runs them one after the other, which must still get its own message
    # within the time limit of the check that first asks for this performance.
    meeting = watcher.rendezvous("sing-dance", parties=2, patience=meeting_patience(start_cost, time_limit))
    show.originals = {name: getattr(learner, name) for name in WORDS}
    for name in WORDS:
        # in_children: a helper target or a Process subclass that calls sing is seen under spawn too.
        watcher.patch(learner, name, rendezvous=meeting, in_children=True)
    call = call_patched(grading, watcher, learner.sing_and_dance, show.num, show.delay)
    show.called, show.returned, show.failure = call.called, call.returned, call.failure
    show.started, show.alive_at_return = call.started, call.alive_at_return
    show.failure = plain_errors.explained(show.failure, show.started,
                                          [c for name in WORDS for c in watcher.calls(name)], grading.pid)
    # Code that forgot join() returns before its children are done: wait for them before reading.
    for entry in show.started:
        entry.wait(meeting.patience + 4 * show.num * show.delay + 20 * start_cost)
    show.calls = {name: watcher.calls(name) for name in WORDS}
    yield show
    watcher.stop_leftovers(grace=1.0 + 10 * start_cost, function="sing_and_dance")


def _the_two_calls(show: Performance, grading: Grading) -> tuple[Call, Call]:
    if show.failure is not None:
        raise show.failure
    for name in WORDS:
        expect_calls(show.calls[name], name, 1)
    sing, dance = show.calls["sing"][0], show.calls["dance"][0]
    for call in (sing, dance):
        expect_new_process(call, grading.pid)
        expect_num_delay(show.originals[call.label], call, show.num, show.delay, call.label)
        expect_finished_cleanly(call)
    return sing, dance


def _times(show: Performance, sing: Call, dance: Call) -> dict[str, float]:
    origin = show.called  # the timeline's origin too: what the text says is where the axis shows it
    return {
        "sing_pid": sing.pid, "dance_pid": dance.pid,
        "sing_start": sing.start - origin, "sing_end": (sing.end or sing.start) - origin,
        "dance_start": dance.start - origin, "dance_end": (dance.end or dance.start) - origin,
    }


@check("sing and dance run in two new processes at the same time", "sing 和 dance 在两个新进程中同时运行", points=3)
def test_sing_and_dance_run_at_the_same_time(performance: Performance, grading: Grading, feedback: Any) -> None:
    sing, dance = _the_two_calls(performance, grading)
    feedback.timeline(timeline_bars([sing, dance], performance.called)
                      + [call_bar("sing_and_dance", grading.pid, 0.0, performance.returned - performance.called)])
    if sing.pid == dance.pid:
        raise Mistake("same_process", pid=sing.pid)
    if not (sing.met and dance.met):
        raise Mistake("one_after_the_other", **_times(performance, sing, dance))
    serial = sum(c.end - c.start for c in (sing, dance) if c.end is not None)
    times = _times(performance, sing, dance)
    both = max(times["sing_end"], times["dance_end"]) - min(times["sing_start"], times["dance_start"])
    feedback.note("sing_dance_timings", caller=grading.pid, returned=performance.returned - performance.called, serial=serial,
                  both=both, **times)


@check("sing_and_dance returns only after both have finished", "sing_and_dance 在两个进程都结束之后才返回", points=2)
def test_sing_and_dance_waits_for_both(performance: Performance, grading: Grading) -> None:
    sing, dance = _the_two_calls(performance, grading)
    returned = performance.returned - performance.called
    for call in (sing, dance):
        if call.end is None:
            raise Mistake("still_alive", function=call.label, pid=call.pid, returned=returned)
        if call.end > performance.returned:
            raise Mistake("returned_early", function=call.label, pid=call.pid, returned=returned,
                          end=call.end - performance.called)
    for entry in performance.alive_at_return:
        label = "sing" if entry.pid == sing.pid else "dance" if entry.pid == dance.pid else entry.name
        raise Mistake("still_alive", function=label, pid=entry.pid, returned=returned)
