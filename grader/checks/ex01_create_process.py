"""Checks of ex01_create_process: ``make_process(target, name)``."""

from __future__ import annotations

import threading
from multiprocessing.process import BaseProcess
from typing import Any

from grader.inside.observe import target_name
from grader.inside import tasks

from .. import messages
from ..messages import Mistake
from . import check, expect_calls, expect_finished_cleanly, expect_new_process, plain_errors, start_for_learner

MESSAGES = messages.define(__name__, {
    "returned_thread": {
        "en": "make_process returned a threading.Thread. A thread runs inside the calling process; this exercise needs a new process: multiprocessing.Process(target=target, name=name).",
        "zh": "make_process 返回了一个 threading.Thread。线程运行在调用者的进程里；本练习需要一个新进程：multiprocessing.Process(target=target, name=name)。",
    },
    "started_too_early": {
        "en": "make_process already started the process (pid {pid}). It must return it not started: whoever calls make_process decides when to call start().",
        "zh": "make_process 已经启动了进程（进程编号 {pid}）。它应当返回一个还没启动的进程：由调用 make_process 的人决定何时调用 start()。",
    },
    "target_ran_early": {
        "en": "The target already ran while make_process was running (in pid {pid}), before anyone called start(). Did you write target=target() (which calls it) instead of target=target (which passes the function)?",
        "zh": "在 make_process 运行期间、还没有人调用 start() 时，目标函数就已经运行了（进程编号 {pid}）。是不是写成了 target=target()（这会直接调用它），而不是 target=target（传递函数本身）？",
    },
    "wrong_name": {
        "en": "The process is named {got!r}; expected {expected!r}. Pass name=name to multiprocessing.Process.",
        "zh": "进程的名字是 {got!r}，预期是 {expected!r}。请给 multiprocessing.Process 传入 name=name。",
    },
    "wrong_name_in_child": {
        "en": "Inside the child process, multiprocessing.current_process().name was {got!r}; expected {expected!r}. Set the name when you create the process (name=name).",
        "zh": "在子进程里，multiprocessing.current_process().name 是 {got!r}，预期是 {expected!r}。请在创建进程时设置名字（name=name）。",
    },
})


def _make(learner: Any, grading: Any, observer: Any, rng: Any) -> tuple[BaseProcess, str]:
    """Call make_process with a fresh name and a recording target; check what came back."""
    name = rng.choice(["worker", "sing", "任务", "进程"]) + f"-{rng.randrange(10**6)}"
    target = observer.probe(tasks.do_nothing, label="target")
    process, _, _ = plain_errors.call_plainly(grading, learner.make_process, target, name)
    if isinstance(process, threading.Thread):
        raise Mistake("returned_thread")
    if not isinstance(process, BaseProcess):
        raise Mistake("not_a_process", function="make_process", got=repr(process)[:80])
    started = observer.started()
    if started:
        raise Mistake("started_too_early", pid=started[0].pid)
    early = observer.calls("target")
    if early:
        raise Mistake("target_ran_early", pid=early[0].pid)
    if not plain_errors.is_portable(target_name(process)):
        # Under fork it would run; under spawn and forkserver it cannot even start: the same grade everywhere.
        raise Mistake("target_not_portable", target=target_name(process))
    return process, name


@check("returns a process that is not started yet", "返回一个尚未启动的进程", blame="make_process")
def test_returns_a_process_not_started(learner: Any, grading: Any, observer: Any, rng: Any) -> None:
    process, name = _make(learner, grading, observer, rng)
    if process.name != name:
        raise Mistake("wrong_name", got=process.name, expected=name)


@check("once started, the target runs once, in a new process", "启动后，目标函数在新进程中运行一次", points=2,
       blame="make_process")
def test_target_runs_in_a_new_process(learner: Any, grading: Any, observer: Any, rng: Any) -> None:
    process, _ = _make(learner, grading, observer, rng)
    start_for_learner(process)
    process.join()
    calls = observer.calls("target")
    expect_calls(calls, "target", 1)
    expect_new_process(calls[0], grading.pid, "target")
    expect_finished_cleanly(calls[0], "target")


@check("the child sees the name it was given", "子进程里看到的进程名正确", blame="make_process")
def test_child_sees_its_name(learner: Any, grading: Any, observer: Any, rng: Any) -> None:
    process, name = _make(learner, grading, observer, rng)
    start_for_learner(process)
    process.join()
    calls = observer.calls("target")
    expect_calls(calls, "target", 1)
    if calls[0].process_name != name:
        raise Mistake("wrong_name_in_child", got=calls[0].process_name, expected=name)
