"""Checks of ex07_daemon: ``work`` and ``start_daemon_worker``, the latter inside a whole program.

The program calls ``start_daemon_worker(num, delay)``, waits until the worker has printed its
first line, and ends. A correct daemon is stopped then, mid-work, and is gone once the program
has exited.

The worker is held before its last line until the program joins it. The interpreter stops its
daemons at exit *before* it joins them, so a daemon is stopped with a line still to print, at the
latest while held; a program that keeps the worker going (a normal process, a join at exit) lets it go on
and it finishes its work; one that leaves without stopping it (os._exit at exit) leaves it held
and alive after the program has gone. No verdict depends on how long the work is, so the work is
short and a wrong program costs no more than a right one.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from grader.checks.program_run import ProgramRun
from grader.grading.fixtures import Grading
from grader.grading.host_channel import Scene

from .. import messages
from ..messages import Mistake
from . import check, expect_finished_cleanly
from .whole_program import (
    CHECK_LIMIT,
    draw_timeline,
    expect_nothing_left,
    expect_returned_at_once,
    lines_of,
    report_timings,
    run_learner_program,
    the_worker,
    went_on_after_exit,
    work_prints,
)

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"): work alone is grader.inside.scenes.ex07_daemon; the
# program of the other checks is grader.inside.program, started apart, its records the host's claims
# as much as the host's reports are, its exit and what it left running read here from the kernel.
HOST_MISTAKES = ()

MESSAGES = messages.define(__name__, {
    "not_a_daemon": {
        "en": "start_daemon_worker started the worker (pid {pid}) as a normal process (daemon=False). So when the main module ended, {ending:.2f} s after the program started, the program did not stop it: it waited until the worker had printed {count} of {num} lines and exited only at {exited:.2f} s. Make it a daemon before starting it: Process(target=work, args=(num, delay), daemon=True).",
        "zh": "start_daemon_worker 把子进程（进程编号 {pid}）创建成了普通进程（daemon=False）。所以程序启动后 {ending:.2f} 秒主模块执行完毕时，程序没有停止它，而是一直等到它打印了 {num} 行中的 {count} 行，直到 {exited:.2f} 秒才退出。请在启动之前把它设为守护进程：Process(target=work, args=(num, delay), daemon=True)。",
    },
    "terminated_not_daemon": {
        "en": "start_daemon_worker started the worker (pid {pid}) as a normal process (daemon=False) and has the program stop it with {how}() (at {at:.2f} s, after the main module ended at {ending:.2f} s). That is the tutorial's other way; this exercise asks for a daemon, which the main program stops by itself when it ends: Process(target=work, args=(num, delay), daemon=True), and no terminate().",
        "zh": "start_daemon_worker 把子进程（进程编号 {pid}）创建成了普通进程（daemon=False），再让程序用 {how}() 停止它（在 {at:.2f} 秒，主模块在 {ending:.2f} 秒执行完毕）。这是教程里的另一种做法；本练习要的是守护进程，主程序结束时会自己停止它：Process(target=work, args=(num, delay), daemon=True)，不需要 terminate()。",
    },
    "never_worked": {
        "en": "The worker (pid {pid}) printed nothing while the main program was running (the main module waited {patience:.1f} s for its first line). The daemon must be at work while the main program runs: start it, and let work print.",
        "zh": "在主程序运行期间，子进程（进程编号 {pid}）什么也没有打印（主模块等了 {patience:.1f} 秒也没等到第一行）。守护进程应当在主程序运行期间工作：启动它，让 work 打印。",
    },
    "not_stopped": {
        "en": "The worker (pid {pid}) was not stopped when the main module ended, {ending:.2f} s after the program started: it printed {count} of {num} lines and finished its work at {end:.2f} s; the program exited at {exited:.2f} s. A daemon process is stopped as soon as the main program ends, whatever it is doing.",
        "zh": "程序启动后 {ending:.2f} 秒主模块执行完毕时，子进程（进程编号 {pid}）没有被停止：它打印了 {num} 行中的 {count} 行，在 {end:.2f} 秒做完了工作；程序在 {exited:.2f} 秒退出。守护进程会在主程序结束时立刻被停止，不管它正在做什么。",
    },
    "daemon_outlived_program": {
        "en": "The worker (pid {pid}) was still running after the program had exited. A daemon process started with multiprocessing is stopped when the main program ends: use multiprocessing.Process(..., daemon=True), not another way of starting processes.",
        "zh": "程序退出之后，子进程（进程编号 {pid}）还在运行。用 multiprocessing 启动的守护进程会在主程序结束时被停止：请使用 multiprocessing.Process(..., daemon=True)，不要用其他方式启动进程。",
    },
})


@pytest.fixture(scope="module")
def program(grading: Grading, start_cost: float) -> ProgramRun:
    """One run of a program that calls start_daemon_worker, and ends after the worker's first line."""
    rng = random.Random(f"{grading.seed}/program")
    num, delay = rng.randint(3, 6), rng.choice([0.02, 0.03, 0.04])
    return run_learner_program(grading, start_cost, "start_daemon_worker", num, delay)


def _times(run: ProgramRun) -> dict[str, float]:
    return {"ending": run.at(run.record.get("ending")), "exited": run.exited - run.launched}


@check("work prints 工作中。。。。 num times, pausing delay between", "work 打印 num 次“工作中。。。。”，每次间隔 delay 秒")
def test_work_prints(scene: Scene, rng: random.Random) -> None:
    work_prints(scene, rng)


@check("start_daemon_worker runs work in a new daemon process", "start_daemon_worker 在一个新的守护进程中运行 work",
       points=2, timeout=CHECK_LIMIT)
def test_worker_is_a_daemon(program: ProgramRun, feedback: Any) -> None:
    call, entry = the_worker(program)
    draw_timeline(program, call, feedback)
    daemon = entry["daemon"] if entry is not None else program.result.get("daemon")
    if not daemon:
        num, _ = program.spec.args
        stop = next((s for s in program.stops if s["pid"] == call.pid), None)
        if stop is not None:
            raise Mistake("terminated_not_daemon", pid=call.pid, how=stop["how"], at=program.at(stop["at"]),
                          ending=_times(program)["ending"])
        raise Mistake("not_a_daemon", pid=call.pid, count=len(lines_of(call)), num=num, **_times(program))


@check("start_daemon_worker returns the started process at once, without waiting for it",
       "start_daemon_worker 启动进程后立刻把它返回，不等待它", points=2, timeout=CHECK_LIMIT)
def test_start_daemon_worker_returns_at_once(program: ProgramRun) -> None:
    call, _ = the_worker(program)
    expect_returned_at_once(program, call)


@check("the daemon is stopped mid-work when the program ends, and no process is left",
       "主程序结束时守护进程在工作中途被停止，没有留下任何进程", points=2, timeout=CHECK_LIMIT)
def test_daemon_stops_with_the_program(program: ProgramRun, feedback: Any) -> None:
    call, _ = the_worker(program)
    num, _ = program.spec.args
    printed = lines_of(call)
    if call.error is not None:
        expect_finished_cleanly(call, "work")
    if program.record.get("first_line") is None:
        raise Mistake("never_worked", pid=call.pid, patience=program.spec.patience)
    if went_on_after_exit(program, call):
        raise Mistake("daemon_outlived_program", pid=call.pid)
    if call.end is not None or len(printed) >= num:
        raise Mistake("not_stopped", pid=call.pid, count=len(printed), num=num,
                      end=program.at(call.end if call.end is not None else printed[-1]), **_times(program))
    if any(p["pid"] == call.pid for p in program.left_behind):
        raise Mistake("daemon_outlived_program", pid=call.pid)
    expect_nothing_left(program)
    report_timings(program, call, feedback)
