"""Checks of ex02_start_vs_run: ``run_in_new_process(task) -> int``.

The grader hands the learner's function a recording task that ends its process with an exit code
chosen afresh on every run (or returns, or raises), and checks that the task ran once, in a new
child of the caller, that the function waited for it, and that it returned the child's exit code.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from typing import Any

from grader.grading.host_channel import Scene, SeenCall

from .. import messages
from ..messages import Mistake, Text
from . import check, expect_calls, expect_new_process, plain_errors

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"); the scene is grader.inside.scenes.ex02_start_vs_run.
HOST_MISTAKES = ()

FUNCTION = "run_in_new_process"

MESSAGES = messages.define(__name__, {
    "missing_join": {
        "en": "run_in_new_process returned {got} after {returned:.3f} s, while the task's process (pid {pid}) was still running: the task ran until {ended:.3f} s. Call join() before reading exitcode: until the child has ended, exitcode is None.",
        "zh": "run_in_new_process 在 {returned:.3f} 秒时就返回了 {got}，而任务所在的进程（进程编号 {pid}）还在运行：任务一直运行到 {ended:.3f} 秒。读取 exitcode 之前要先 join()：子进程结束之前，exitcode 是 None。",
    },
    "join_gave_up": {
        "en": "run_in_new_process waited for the task's process (pid {pid}) with a timeout of {timeout:g} s and then returned {got} while that process was still running: the grader held the task for longer than the timeout. join(timeout) stops waiting once the timeout has passed, however long the task still needs. Call join() without a timeout: it waits until the process has ended.",
        "zh": "run_in_new_process 以 {timeout:g} 秒的超时等待任务所在的进程（进程编号 {pid}），之后就返回了 {got}，而这个进程还在运行：评分程序让任务等待的时间比这个超时更长。join(timeout) 超过超时时间就不再等待，不管任务还需要多久。请调用不带超时的 join()：它会一直等到进程结束。",
    },
    "returned_none": {
        "en": "run_in_new_process returned None, although the task's process (pid {pid}) had ended with exit code {expected}. Did you forget the return? End the function with return process.exitcode.",
        "zh": "run_in_new_process 返回了 None，而任务所在的进程（进程编号 {pid}）已经以退出码 {expected} 结束了。是不是忘了写 return？函数最后要 return process.exitcode。",
    },
    "returned_pid": {
        "en": "run_in_new_process returned {got}: that is the child's process id (pid), not its exit code. The child ended with exit code {expected}; return process.exitcode (after join()).",
        "zh": "run_in_new_process 返回了 {got}：这是子进程的进程编号（pid），不是它的退出码。子进程的退出码是 {expected}；请在 join() 之后 return process.exitcode。",
    },
    "returned_process": {
        "en": "run_in_new_process returned the Process object ({got}) instead of its exit code. The child ended with exit code {expected}; return process.exitcode (after join()).",
        "zh": "run_in_new_process 返回了进程对象（{got}），而不是它的退出码。子进程的退出码是 {expected}；请在 join() 之后 return process.exitcode。",
    },
    "wrong_exit_code": {
        "en": "The task's process (pid {pid}) ended with exit code {expected} ({why}), but run_in_new_process returned {got}. Return the child's own exit code, process.exitcode, read after join(), not a value of your own.",
        "zh": "任务所在的进程（进程编号 {pid}）的退出码是 {expected}（{why}），但 run_in_new_process 返回了 {got}。请返回子进程自己的退出码 process.exitcode（在 join() 之后读取），而不是自己写的值。",
    },
    "pids": {
        "en": "The task ran in process {child}, a new child of the calling process {caller}.",
        "zh": "任务在进程 {child} 中运行，它是调用者进程 {caller} 新创建的子进程。",
    },
})

# Why a task ends with the code it does, for the learner (English, Chinese).
WHY = {
    "exit": ("the task called sys.exit({code})", "任务调用了 sys.exit({code})"),
    "return": ("the task returned normally", "任务正常返回"),
    "raise": ("the task raised an exception", "任务抛出了异常"),
    "signal": ("signal {code} killed the task's process", "任务所在的进程被信号 {code} 杀死"),
}

# The signals a task may die of (the docstring's "negative when a signal killed it"): one drawn afresh on every run.
KILLING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGKILL") if hasattr(signal, name))


@dataclass
class TaskRun:
    """One call of run_in_new_process: what it returned, when, and what the task's process did."""

    result: dict[str, Any]  # the returned value as the host described it: kind, value (an int), repr
    called: float
    returned: float
    call: SeenCall
    caller: int
    alive_at_return: bool
    gave_up_after: float | None  # the timeout of a join that gave up while the task was held

    def since_call(self, moment: float | None) -> float:
        return (moment if moment is not None else self.returned) - self.called


def _run(scene: Scene, task: str, time_limit: float | None = None, outwait: bool = False,
         **settings: Any) -> TaskRun:
    """Have the host call run_in_new_process with a recording ``task``; check it ran once, in a new child of
    the caller (the witness's word, where there is one).

    With ``time_limit``, the task waits at a gate that the host's gatekeeper opens only once
    run_in_new_process is blocked waiting; with ``outwait`` too, a join with a timeout is held until
    its timeout has passed, to see whether the function returns without the task.
    """
    played = scene.play("run", task=task, settings=settings, time_limit=time_limit, outwait=outwait)
    calls = played.calls("task")
    failure = played.kept_mistake("call_failure")
    if failure is not None:
        # run() then join(): "can only join a started process" is told as the run-versus-start mistake.
        if failure.key == "joined_before_start":
            for call in calls:
                expect_new_process(call, played.caller)
        raise failure
    seen = played.observation
    unportable = plain_errors.unportable(seen.get("targets", []))
    if unportable is not None:
        raise unportable
    for call in calls:
        expect_new_process(call, played.caller, "task")
    expect_calls(calls, "task", 1)
    call = calls[0]
    if not call.is_child_of(played.caller):
        raise Mistake("not_a_child", function="task", pid=call.pid, parent=call.parent, caller=played.caller)
    gave_up = {int(pid): float(timeout) for pid, timeout in seen.get("gave_up", [])}
    return TaskRun(dict(seen["result"]), float(seen["called"]), float(seen["returned"]), call, played.caller,
                   call.pid in set(seen.get("alive_at_return", [])), gave_up.get(call.pid))


def _short_work(rng: Any) -> float:
    """A task's sleep once let through the gate: the gate, not this, is what outlasts a caller that does not wait."""
    return round(rng.uniform(0.005, 0.02), 3)


def _expect_exit_code(outcome: TaskRun, expected: int, why: str, code: int = 0) -> None:
    """Fail unless run_in_new_process waited for the task's process and returned ``expected``."""
    got, call = outcome.result, outcome.call
    shown = str(got.get("repr", ""))[:80]
    ended_late = call.end is None or call.end > outcome.returned
    if outcome.alive_at_return or ended_late:
        if outcome.gave_up_after is not None:
            raise Mistake("join_gave_up", got=shown, pid=call.pid, timeout=outcome.gave_up_after)
        raise Mistake("missing_join", got=shown, pid=call.pid, returned=outcome.since_call(None),
                      ended=outcome.since_call(call.end))
    kind, value = got.get("kind"), got.get("value")
    if kind == "none":
        raise Mistake("returned_none", pid=call.pid, expected=expected)
    if kind == "int" and value == expected:
        return
    if kind == "process":
        raise Mistake("returned_process", got=shown, expected=expected)
    if kind == "int" and value == call.pid:
        raise Mistake("returned_pid", got=value, expected=expected)
    en, zh = WHY[why]
    raise Mistake("wrong_exit_code", pid=call.pid, expected=expected, got=shown,
                  why=Text(en.format(code=code), zh.format(code=code)))


@check("the task runs once, in a new child process", "任务在一个新的子进程中运行一次", points=2,
       blame=FUNCTION)
def test_task_runs_in_a_new_process(scene: Scene, rng: Any, feedback: Any) -> None:
    outcome = _run(scene, "pause", delay=rng.choice([0.01, 0.02]))
    feedback.note("pids", child=outcome.call.pid, caller=outcome.caller)


@check("waits for the child and returns its exit code", "等子进程结束，返回它的退出码", points=2, blame=FUNCTION)
def test_returns_the_exit_code(scene: Scene, rng: Any, time_limit: float) -> None:
    # A code of its own on every run: never 0 or 1, which a learner might return by chance.
    code = rng.randint(2, 120)
    # This check alone outwaits a join with a timeout: a loop of timed joins pays its timeout once.
    outcome = _run(scene, "exit_with", time_limit, outwait=True, code=code, delay=_short_work(rng))
    _expect_exit_code(outcome, code, "exit", code)


@check("returns 0 when the task returns normally", "任务正常结束时返回 0", blame=FUNCTION)
def test_returns_0_when_the_task_returns(scene: Scene, rng: Any, time_limit: float) -> None:
    outcome = _run(scene, "pause", time_limit, delay=_short_work(rng))
    _expect_exit_code(outcome, 0, "return")


@check("returns 1 when the task raises an exception", "任务抛出异常时返回 1", blame=FUNCTION)
def test_returns_1_when_the_task_raises(scene: Scene, rng: Any, time_limit: float) -> None:
    outcome = _run(scene, "fail_after", time_limit, delay=_short_work(rng))
    _expect_exit_code(outcome, 1, "raise")


@check("returns a negative exit code when a signal kills the task", "任务被信号杀死时返回负的退出码", blame=FUNCTION)
def test_returns_a_negative_code_when_a_signal_kills_the_task(scene: Scene, rng: Any, time_limit: float) -> None:
    signum = int(rng.choice(KILLING_SIGNALS))
    outcome = _run(scene, "killed_by", time_limit, signum=signum, delay=_short_work(rng))
    # multiprocessing reports a death by signal N as -N (on Windows, SIGTERM's -15 is the only one drawn).
    _expect_exit_code(outcome, -signum, "signal", signum)
