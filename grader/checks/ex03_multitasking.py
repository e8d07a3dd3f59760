"""Checks of ex03_multitasking: ``sing``, ``dance`` and ``sing_and_dance``.

The learner host calls them (grader.inside.scenes.ex03_multitasking); which processes ran sing and
dance, and their parents, are the witness's facts; what they printed, whether they met at the
rendezvous and who was held at the gate when sing_and_dance returned, the host's records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest

from grader.grading.fixtures import Grading, module_scene
from grader.grading.host_channel import Played, Scene, SeenCall
from grader.reports.timeline import call_bar

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import (
    check,
    check_named,
    expect_calls,
    expect_finished_cleanly,
    expect_new_process,
    plain_errors,
    stand_in,
    timeline_bars,
)
from .printing import expect_hosted_prints, expect_num_delay, prints_values

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary").
HOST_MISTAKES = ()

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
        "en": "sing_and_dance returned after {returned:.2f} s, but {function} (pid {pid}) was still running until {end:.2f} s{waited}. Call join() on both processes before returning, so the caller knows the work is done.",
        "zh": "sing_and_dance 在 {returned:.2f} 秒时就返回了，但 {function}（进程编号 {pid}）一直运行到 {end:.2f} 秒{waited}。返回之前请对两个进程都调用 join()，这样调用者才知道工作已经完成。",
    },
    "still_alive": {
        "en": "sing_and_dance returned after {returned:.2f} s while the process of {function} (pid {pid}) was still alive. Call join() on both processes before returning, so the caller knows the work is done.",
        "zh": "sing_and_dance 在 {returned:.2f} 秒时就返回了，而 {function} 的进程（进程编号 {pid}）还活着。返回之前请对两个进程都调用 join()，这样调用者才知道工作已经完成。",
    },
    "sing_dance_timings": {
        "en": "sing ran in pid {sing_pid} from {sing_start:.2f} s to {sing_end:.2f} s, dance in pid {dance_pid} from {dance_start:.2f} s to {dance_end:.2f} s (the caller is pid {caller}): both were alive at once. sing_and_dance took {returned:.2f} s in all, starting two processes included; after they met, the grader let each go on only while sing_and_dance was waiting for it, one after the other, to see that it waits for both.",
        "zh": "sing 在进程 {sing_pid} 中从 {sing_start:.2f} 秒运行到 {sing_end:.2f} 秒，dance 在进程 {dance_pid} 中从 {dance_start:.2f} 秒运行到 {dance_end:.2f} 秒（调用者是进程 {caller}）：两个进程同时活着。sing_and_dance 总共用了 {returned:.2f} 秒，其中包括启动两个进程的时间；两个进程碰面之后，评分程序只在 sing_and_dance 等待某一个进程时才让它继续运行，一个接一个，以确认它两个都等待了。",
    },
})



def _prints_alone(scene: Scene, rng: random.Random, function: str) -> None:
    num, delay = prints_values(rng)
    expect_hosted_prints(scene.play("prints", function=function, num=num, delay=delay), function, WORDS[function],
                         num, delay)


@check("sing prints 唱歌。。。 num times, pausing delay between", "sing 打印 num 次“唱歌。。。”，每次间隔 delay 秒")
def test_sing_prints(scene: Scene, rng: Any) -> None:
    _prints_alone(scene, rng, "sing")


@check("dance prints 跳舞。。。 num times, pausing delay between", "dance 打印 num 次“跳舞。。。”，每次间隔 delay 秒")
def test_dance_prints(scene: Scene, rng: Any) -> None:
    _prints_alone(scene, rng, "dance")


@dataclass(frozen=True)
class Sung:
    """One call of sing or dance: seen by the witness, with what the host recorded of it (its met)."""

    call: SeenCall
    met: bool

    def __getattr__(self, name: str) -> Any:  # label, pid, how, start, end, error, args... of the call
        return getattr(self.call, name)


@dataclass
class Performance:
    """What one call of sing_and_dance did, as the host played it."""

    num: int
    delay: float
    caller: int = 0
    called: float = 0.0
    returned: float = 0.0
    failure: Mistake | None = None
    calls: dict[str, list[Sung]] = field(default_factory=dict)
    alive_at_return: list[dict[str, Any]] = field(default_factory=list)  # pid and name of each
    parameters: dict[str, Any] = field(default_factory=dict)  # sing's and dance's, as the host described them
    released: list[int] = field(default_factory=list)  # pids the grader let through while the caller waited
    unfinished_at_return: list[int] = field(default_factory=list)  # held at the grader's gate, or not yet there


@pytest.fixture(scope="module")
def performance(grading: Grading, time_limit: float) -> Iterator[Performance]:
    """sing_and_dance called once in the host, with sing and dance recorded, made to meet if they run at
    once, then held at a gate opened only while it waits (grader.inside.scenes.ex03_multitasking)."""
    rng = random.Random(f"{grading.seed}/sing_and_dance")
    # Held one after the other, sing's and dance's work add up: short pauses keep that cheap, and
    # every proof of the gate holds for any pause (a released child has all of its work ahead).
    show = Performance(num=rng.randint(2, 4), delay=rng.choice([0.01, 0.015, 0.02]))
    first = check_named(__name__, "test_sing_and_dance_run_at_the_same_time")
    scene = module_scene(grading, first.title.en, time_limit, first.blame)
    played = scene.play("performance", num=show.num, delay=show.delay, time_limit=time_limit)
    seen = played.observation
    show.caller = played.caller
    show.failure = plain_errors.unportable(seen.get("targets", [])) or played.kept_mistake("call_failure")
    show.calls = _sung(played)
    show.parameters = dict(seen.get("parameters") or {})
    if show.failure is None:
        show.called, show.returned = float(seen["called"]), float(seen["returned"])
        show.released = [int(p) for p in seen.get("released", [])]
        show.unfinished_at_return = [int(p) for p in seen.get("unfinished_at_return", [])]
        show.alive_at_return = [dict(e) for e in seen.get("alive_at_return", []) if isinstance(e, dict)]
    elif show.failure.key == "joined_before_start":
        # run() then join(): "can only join a started process" is told as the run-versus-start mistake.
        for name in WORDS:
            for call in show.calls[name]:
                expect_new_process(call, show.caller)  # type: ignore[arg-type]
    yield show
    scene.raise_leak()


def _sung(played: Played) -> dict[str, list[Sung]]:
    """The calls of sing and of dance, each with whether it met the other. A meeting the host records is
    believed, where the witness saw the calls, only if a call of the other word was under way at once."""
    paired = {name: played.with_records(name) for name in WORDS}
    calls: dict[str, list[Sung]] = {}
    for name, other in (("sing", "dance"), ("dance", "sing")):
        calls[name] = []
        for call, record in paired[name]:
            met = bool((record.get("rendezvous") or {}).get("met"))
            if met and call.witnessed:
                met = any(call.under_way_with(partner) for partner, _ in paired[other])
            calls[name].append(Sung(call, met))
    return calls


def _the_two_calls(show: Performance) -> tuple[Sung, Sung]:
    if show.failure is not None:
        raise show.failure
    for name in WORDS:
        expect_calls(show.calls[name], name, 1)  # type: ignore[arg-type]
    sing, dance = show.calls["sing"][0], show.calls["dance"][0]
    for call in (sing, dance):
        expect_new_process(call, show.caller)  # type: ignore[arg-type]
        expect_num_delay(stand_in(show.parameters.get(call.label)), call, show.num, show.delay, call.label)  # type: ignore[arg-type]
        expect_finished_cleanly(call)  # type: ignore[arg-type]
    return sing, dance


def _times(show: Performance, sing: Sung, dance: Sung) -> dict[str, float]:
    origin = show.called  # the timeline's origin too: what the text says is where the axis shows it
    return {
        "sing_pid": sing.pid, "dance_pid": dance.pid,
        "sing_start": sing.start - origin, "sing_end": (sing.end or sing.start) - origin,
        "dance_start": dance.start - origin, "dance_end": (dance.end or dance.start) - origin,
    }


@check("sing and dance run in two new processes at the same time", "sing 和 dance 在两个新进程中同时运行", points=3,
       blame="sing_and_dance")
def test_sing_and_dance_run_at_the_same_time(performance: Performance, feedback: Any) -> None:
    sing, dance = _the_two_calls(performance)
    feedback.timeline(timeline_bars([sing, dance], performance.called)  # type: ignore[list-item]
                      + [call_bar("sing_and_dance", performance.caller, 0.0, performance.returned - performance.called)])
    if sing.pid == dance.pid:
        raise Mistake("same_process", pid=sing.pid)
    if not (sing.met and dance.met):
        raise Mistake("one_after_the_other", **_times(performance, sing, dance))
    feedback.note("sing_dance_timings", caller=performance.caller, returned=performance.returned - performance.called,
                  **_times(performance, sing, dance))


@check("sing_and_dance returns only after both have finished", "sing_and_dance 在两个进程都结束之后才返回", points=2,
       blame="sing_and_dance")
def test_sing_and_dance_waits_for_both(performance: Performance) -> None:
    # A process still held at the gate when sing_and_dance returned had not begun its work, and
    # ended only after the grader let everyone go: sing_and_dance did not wait for it.
    sing, dance = _the_two_calls(performance)
    returned = performance.returned - performance.called
    unfinished = set(performance.unfinished_at_return)
    for call, other in ((sing, dance), (dance, sing)):
        if call.end is None:
            raise Mistake("still_alive", function=call.label, pid=call.pid, returned=returned)
        if call.end > performance.returned or call.pid in unfinished:
            waited = (Text(f": sing_and_dance waited for {other.label} only",
                           f"：sing_and_dance 只等待了 {other.label}") if other.pid in performance.released
                      else NO_TEXT)
            raise Mistake("returned_early", function=call.label, pid=call.pid, returned=returned,
                          end=call.end - performance.called, waited=waited)
    for entry in performance.alive_at_return:
        pid = entry.get("pid")
        label = "sing" if pid == sing.pid else "dance" if pid == dance.pid else str(entry.get("name"))
        raise Mistake("still_alive", function=label, pid=pid, returned=returned)
