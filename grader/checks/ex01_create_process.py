"""Checks of ex01_create_process: ``make_process(target, name)``.

Hosted (see docs/DESIGN.md, "The trust boundary"): the learner host plays the scene
(:mod:`grader.inside.scenes.ex01_create_process`), these judges decide on what it saw. Whether the
target ran in a new child of the caller is the witness's (the kernel's) word where there is one.
"""

from __future__ import annotations

from typing import Any

from grader.grading.host_channel import Played, Scene

from .. import messages
from ..messages import Mistake
from . import check, expect_calls, expect_finished_cleanly, expect_new_process, plain_errors

# The checker starts a learner host for this exercise and never imports the learner's module.
# What the host may report besides the learner's errors every exercise shares.
HOST_MISTAKES = ()

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


def _name(rng: Any) -> str:
    return rng.choice(["worker", "sing", "任务", "进程"]) + f"-{rng.randrange(10**6)}"


def _judge_made(played: Played) -> dict[str, Any]:
    """Fail unless make_process returned a process, not started, its target not run, portable."""
    seen = played.observation
    if seen.get("kind") == "thread":
        raise Mistake("returned_thread")
    if seen.get("kind") != "process":
        raise Mistake("not_a_process", function="make_process", got=str(seen.get("repr"))[:80])
    if seen.get("started_early"):
        raise Mistake("started_too_early", pid=int(seen["started_early"][0]))
    early = [call for call in played.calls("target") if call.start <= float(seen["returned"])]
    if early:
        raise Mistake("target_ran_early", pid=early[0].pid)
    target = str(seen.get("target", ""))
    if not plain_errors.is_portable(target):
        # Under fork it would run; under spawn and forkserver it cannot even start: the same grade everywhere.
        raise Mistake("target_not_portable", target=target)
    return seen


def _judge_started(played: Played) -> Any:
    """Fail unless the started process ran the target once, in a new child of the caller; the call."""
    _judge_made(played)
    failure = played.kept_mistake("start_failure")
    if failure is not None:
        raise failure
    calls = played.calls("target")
    expect_calls(calls, "target", 1)
    expect_new_process(calls[0], played.caller, "target")
    if not calls[0].is_child_of(played.caller):
        raise Mistake("not_a_child", function="target", pid=calls[0].pid, parent=calls[0].parent, caller=played.caller)
    return calls[0]


@check("returns a process that is not started yet", "返回一个尚未启动的进程", blame="make_process")
def test_returns_a_process_not_started(scene: Scene, rng: Any) -> None:
    name = _name(rng)
    seen = _judge_made(scene.play("make", name=name, start=False))
    if seen.get("name") != name:
        raise Mistake("wrong_name", got=seen.get("name"), expected=name)


@check("once started, the target runs once, in a new process", "启动后，目标函数在新进程中运行一次", points=2,
       blame="make_process")
def test_target_runs_in_a_new_process(scene: Scene, rng: Any) -> None:
    call = _judge_started(scene.play("make", name=_name(rng), start=True))
    expect_finished_cleanly(call, "target")


@check("the child sees the name it was given", "子进程里看到的进程名正确", blame="make_process")
def test_child_sees_its_name(scene: Scene, rng: Any) -> None:
    name = _name(rng)
    call = _judge_started(scene.play("make", name=name, start=True))
    if call.process_name != name:
        raise Mistake("wrong_name_in_child", got=call.process_name, expected=name)
