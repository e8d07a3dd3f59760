"""Checks of ex06_main_waits: ``work`` and ``start_worker``, the latter inside a whole program.

The program calls ``start_worker(num, delay)``, waits until the worker has printed its first
line, and ends. A correct ``start_worker`` returns at once, and the program still exits only
after the worker printed every line: the interpreter waits for normal children at exit.

The worker is held before its last line until the program joins it (the interpreter's join at
exit): whatever else the program does at its end (terminate() it, give up after a join with a
timeout, leave with os._exit) happens while the worker still has a line to print, however short
its work, so the lines it loses are lost on every run.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from grader.checks.program_run import ProgramRun
from grader.grading.fixtures import Grading
from grader.grading.host_channel import Scene

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import check, expect_finished_cleanly
from .whole_program import (
    CHECK_LIMIT,
    draw_timeline,
    expect_nothing_left,
    expect_returned_at_once,
    lines_before_exit,
    lines_of,
    report_timings,
    run_learner_program,
    the_worker,
    went_on_after_exit,
    work_prints,
)

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"): work alone is grader.inside.scenes.ex06_main_waits; the
# program of the other checks is grader.inside.program, started apart, its records the host's claims
# as much as the host's reports are, its exit and what it left running read here from the kernel.
HOST_MISTAKES = ()

MESSAGES = messages.define(__name__, {
    "daemon_worker": {
        "en": "start_worker started the worker (pid {pid}) as a daemon (daemon=True). A daemon is stopped as soon as the main program ends: the main module ended {ending:.2f} s after the program started, when the worker had printed only {count} of its {num} lines. Start a normal process (leave daemon at its default, False): the main process then waits for it before the program exits.",
        "zh": "start_worker 把子进程（进程编号 {pid}）创建成了守护进程（daemon=True）。主程序一结束，守护进程就会被停止：程序启动后 {ending:.2f} 秒主模块执行完毕，那时子进程只打印了 {num} 行中的 {count} 行。请创建普通进程（daemon 保持默认值 False）：这样主进程会等它执行完，程序才退出。",
    },
    "lines_lost": {
        "en": "The worker (pid {pid}) printed only {count} of its {num} lines before the program exited, {exited:.2f} s after it started (the main module ended at {ending:.2f} s).{what} A normal child process keeps the program alive until it has finished: start it with multiprocessing.Process and start(), not as a daemon, do not stop it, and let the program end by itself.",
        "zh": "程序在启动后 {exited:.2f} 秒退出，在此之前子进程（进程编号 {pid}）只打印了 {num} 行中的 {count} 行（主模块在 {ending:.2f} 秒执行完毕）。{what}普通子进程会让程序一直等到它执行完毕：用 multiprocessing.Process 创建并 start()，不要设为守护进程，不要停止它，也让程序自己结束。",
    },
    "too_many_lines": {
        "en": "The worker (pid {pid}) printed {count} lines; work({num}, {delay}) should print {num}.",
        "zh": "子进程（进程编号 {pid}）打印了 {count} 行；work({num}, {delay}) 应该打印 {num} 行。",
    },
})


@pytest.fixture(scope="module")
def program(grading: Grading, start_cost: float) -> ProgramRun:
    """One run of a program that calls start_worker and then ends."""
    rng = random.Random(f"{grading.seed}/program")
    num, delay = rng.randint(3, 6), rng.choice([0.02, 0.03, 0.04])
    return run_learner_program(grading, start_cost, "start_worker", num, delay)


def _ending(run: ProgramRun) -> float:
    return run.at(run.record.get("ending"))


def _what_ended_it(run: ProgramRun, call: Any) -> Text:
    """What the program did to the worker at its end, said in a sentence (no text when nothing was seen)."""
    stop = next((s for s in run.stops if s["pid"] == call.pid), None)
    if stop is not None:
        return Text(f" The program stopped it with {stop['how']}() at {run.at(stop['at']):.2f} s.",
                    f"程序在 {run.at(stop['at']):.2f} 秒用 {stop['how']}() 停止了它。")
    if went_on_after_exit(run, call):
        return Text(" The program left without waiting for it (os._exit(), or a kill of the program itself): the "
                    "worker printed the rest after the program had gone.",
                    "程序没有等它就退出了（os._exit()，或者程序自己被杀掉）：子进程剩下的行是在程序退出之后才打印的。")
    return NO_TEXT


@check("work prints 工作中。。。。 num times, pausing delay between", "work 打印 num 次“工作中。。。。”，每次间隔 delay 秒")
def test_work_prints(scene: Scene, rng: random.Random) -> None:
    work_prints(scene, rng)


@check("start_worker runs work in a new, normal (not daemon) process", "start_worker 在一个新的普通（非守护）进程中运行 work",
       points=2, timeout=CHECK_LIMIT)
def test_worker_is_a_normal_process(program: ProgramRun, feedback: Any) -> None:
    call, entry = the_worker(program)
    draw_timeline(program, call, feedback)
    daemon = entry["daemon"] if entry is not None else program.result.get("daemon")
    if daemon:
        num, _ = program.spec.args
        ending = program.record.get("ending", program.exited)
        printed = [t for t in lines_of(call) if t <= ending]
        raise Mistake("daemon_worker", pid=call.pid, ending=_ending(program), count=len(printed), num=num)


@check("start_worker returns the started process at once, without waiting for it",
       "start_worker 启动进程后立刻把它返回，不等待它", points=2, timeout=CHECK_LIMIT)
def test_start_worker_returns_at_once(program: ProgramRun) -> None:
    call, _ = the_worker(program)
    expect_returned_at_once(program, call)


@check("the program exits only after the worker has printed every line", "程序在子进程打印完所有行之后才退出",
       points=2, timeout=CHECK_LIMIT)
def test_program_waits_for_the_worker(program: ProgramRun, feedback: Any) -> None:
    call, _ = the_worker(program)
    num, delay = program.spec.args
    printed = lines_before_exit(program, call)
    if call.error is None and (len(printed) < num or call.end is None):
        raise Mistake("lines_lost", pid=call.pid, count=len(printed), num=num, exited=program.exited - program.launched,
                      ending=_ending(program), what=_what_ended_it(program, call))
    expect_finished_cleanly(call, "work")
    if len(printed) > num:
        raise Mistake("too_many_lines", pid=call.pid, count=len(printed), num=num, delay=delay)
    expect_nothing_left(program)
    report_timings(program, call, feedback)
