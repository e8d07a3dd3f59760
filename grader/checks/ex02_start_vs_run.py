"""Checks of ex02_start_vs_run: ``run_in_new_process(task) -> int``.

The grader hands the learner's function a recording task that ends its process with an exit code
chosen afresh on every run (or returns, or raises), and checks that the task ran once, in a new
child of the caller, that the function waited for it, and that it returned the child's exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any, Callable

from grader.grading.fixtures import Grading, Observer
from grader.grading.gatekeeper import gatekeeper
from grader.inside import tasks
from grader.inside.observe import Call, StartedProcess

from .. import messages
from ..messages import Mistake, Text
from . import check, expect_calls, expect_new_process, plain_errors

FUNCTION = "run_in_new_process"

MESSAGES = messages.define(__name__, {
    "missing_join": {
        "en": "run_in_new_process returned {got} after {returned:.3f} s, while the task's process (pid {pid}) was still running: the task ran until {ended:.3f} s. Call join() before reading exitcode: until the child has ended, exitcode is None.",
        "zh": "run_in_new_process 在 {returned:.3f} 秒时就返回了 {got}，而任务所在的进程（进程编号 {pid}）还在运行：任务一直运行到 {ended:.3f} 秒。读取 exitcode 之前要先 join()：子进程结束之前，exitcode 是 None。",
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
}


@dataclass
class TaskRun:
    """One call of run_in_new_process: what it returned, when, and what the task's process did."""

    result: Any
    called: float
    returned: float
    call: Call
    process: StartedProcess
    alive_at_return: bool

    def since_call(self, moment: float | None) -> float:
        return (moment if moment is not None else self.returned) - self.called


def _run(learner: Any, grading: Grading, observer: Observer, start_cost: float,
         task: Callable[..., None], time_limit: float | None = None, **settings: Any) -> TaskRun:
    """Call run_in_new_process with a recording ``task``; check it ran once, in a new child of the caller.

    With ``time_limit``, the task waits at a gate that the grader opens only once run_in_new_process
    is blocked waiting: code that returns without waiting returns while the task is still held,
    however fast the machine.
    """
    try:
        return _observed_run(learner, grading, observer, start_cost, task, time_limit, **settings)
    except Mistake as mistake:
        raise plain_errors.run_then_join(mistake, observer.calls("task"), grading.pid) from None


def _observed_run(learner: Any, grading: Grading, observer: Observer, start_cost: float,
                  task: Callable[..., None], time_limit: float | None, **settings: Any) -> TaskRun:
    """:func:`_run`, without telling run() then join() as the run-versus-start mistake."""
    unfinished: set[int] = set()
    if time_limit is None:
        probe = observer.probe(task, label="task", bound=settings)
        result, called, returned = plain_errors.call_plainly(grading, learner.run_in_new_process, probe)
    else:
        gate, keeper = gatekeeper(observer.folder / "gate", observer.started, grading.is_learner_file,
                                  start_cost, time_limit, expected=1)
        probe = observer.probe(task, label="task", bound={**settings, "gate": gate})
        try:
            with keeper:
                result, called, returned = plain_errors.call_plainly(grading, learner.run_in_new_process, probe)
        finally:
            keeper.caller_returned()
        unfinished = set(keeper.unfinished_at_return)
    started = observer.started()
    plain_errors.expect_portable_targets(started)
    alive = {entry.pid for entry in started if entry.alive} | unfinished
    # Code that forgot join() returns while the task still runs: let it end before reading its records.
    for entry in started:
        entry.wait(5.0 + 20 * start_cost + settings.get("delay", 0.0))
    calls = observer.calls("task")
    for call in calls:
        expect_new_process(call, grading.pid, "task")
    expect_calls(calls, "task", 1)
    call = calls[0]
    if call.parent_pid != grading.pid:
        raise Mistake("not_a_child", function="task", pid=call.pid, parent=call.parent_pid, caller=grading.pid)
    entry = next(e for e in started if e.pid == call.pid)
    return TaskRun(result, called, returned, call, entry, call.pid in alive)


def _short_work(rng: Any) -> float:
    """A task's sleep once let through the gate: the gate, not this, is what outlasts a caller that does not wait."""
    return round(rng.uniform(0.005, 0.02), 3)


def _expect_exit_code(outcome: TaskRun, expected: int, why: str, code: int = 0) -> None:
    """Fail unless run_in_new_process waited for the task's process and returned ``expected``."""
    got, call = outcome.result, outcome.call
    ended_late = call.end is None or call.end > outcome.returned
    if outcome.alive_at_return or ended_late:
        raise Mistake("missing_join", got=repr(got), pid=call.pid, returned=outcome.since_call(None),
                      ended=outcome.since_call(call.end))
    if got is None:
        raise Mistake("returned_none", pid=call.pid, expected=expected)
    if isinstance(got, int) and not isinstance(got, bool) and got == expected:
        return
    if isinstance(got, BaseProcess):
        raise Mistake("returned_process", got=repr(got)[:80], expected=expected)
    if isinstance(got, int) and got == call.pid:
        raise Mistake("returned_pid", got=got, expected=expected)
    en, zh = WHY[why]
    raise Mistake("wrong_exit_code", pid=call.pid, expected=expected, got=repr(got)[:80],
                  why=Text(en.format(code=code), zh.format(code=code)))


@check("the task runs once, in a new child process", "任务在一个新的子进程中运行一次", points=2,
       blame=FUNCTION)
def test_task_runs_in_a_new_process(learner: Any, grading: Grading, observer: Observer, rng: Any,
                                    start_cost: float, feedback: Any) -> None:
    outcome = _run(learner, grading, observer, start_cost, tasks.pause, delay=rng.choice([0.01, 0.02]))
    feedback.note("pids", child=outcome.call.pid, caller=grading.pid)


@check("waits for the child and returns its exit code", "等子进程结束，返回它的退出码", points=2, blame=FUNCTION)
def test_returns_the_exit_code(learner: Any, grading: Grading, observer: Observer, rng: Any,
                               start_cost: float, time_limit: float) -> None:
    # A code of its own on every run: never 0 or 1, which a learner might return by chance.
    code = rng.randint(2, 120)
    outcome = _run(learner, grading, observer, start_cost, tasks.exit_with, time_limit, code=code,
                   delay=_short_work(rng))
    _expect_exit_code(outcome, code, "exit", code)


@check("returns 0 when the task returns normally", "任务正常结束时返回 0", blame=FUNCTION)
def test_returns_0_when_the_task_returns(learner: Any, grading: Grading, observer: Observer, rng: Any,
                                         start_cost: float, time_limit: float) -> None:
    outcome = _run(learner, grading, observer, start_cost, tasks.pause, time_limit, delay=_short_work(rng))
    _expect_exit_code(outcome, 0, "return")


@check("returns 1 when the task raises an exception", "任务抛出异常时返回 1", blame=FUNCTION)
def test_returns_1_when_the_task_raises(learner: Any, grading: Grading, observer: Observer, rng: Any,
                                        start_cost: float, time_limit: float) -> None:
    outcome = _run(learner, grading, observer, start_cost, tasks.fail_after, time_limit, delay=_short_work(rng))
    _expect_exit_code(outcome, 1, "raise")
