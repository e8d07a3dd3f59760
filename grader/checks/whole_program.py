"""What the checks of ex06 and ex07 share: the learner's ``work`` and the function that starts it.

Both exercises are about how a whole program ends, so their main checks run the learner's
function in a program of its own (:mod:`grader.inside.program`, started by :mod:`grader.checks.program_run`) and judge the records it leaves: who
ran ``work`` and how, what the function returned and when, whether it returned while the worker
was held before its work (the first gate), what the call joined or slept, every line printed with
its time, whether the program let the worker print its last line (the second gate: only a
join without a timeout does), when the program exited and what was still running afterwards. This module is not a checks module itself (pytest collects only
``ex*_*.py``); each exercise's module adds its own judgement and its own ``MESSAGES``.
"""

from __future__ import annotations

import os
import random
from typing import Any

from grader.checks.program_run import ProgramRun, run_program
from grader.grading.fixtures import Grading
from grader.grading.host_channel import Scene
from grader.inside.observe import Call
from grader.inside.program import Spec
from grader.inside.program_gates import MAIN_GONE

from .. import messages
from ..messages import Mistake
from . import expect_calls, expect_new_process, meeting_patience, stand_in
from .printing import expect_hosted_prints, expect_num_delay, prints_values

WORD = "工作中。。。。"

# A check that runs the program may take this long, fixture included; the program itself is
# stopped well before (PROGRAM_LIMIT), so that the check can still say what it saw.
CHECK_LIMIT = 90.0
PROGRAM_LIMIT = 60.0

MESSAGES = messages.define(__name__, {
    "program_hung": {
        "en": "A program that calls {function}({num}, {delay}) and then ends was still running after {seconds:.0f} s, so the grader stopped it. Does {function} or work wait for something that never happens (a join() on a process that never ends, an endless loop)?",
        "zh": "一个调用 {function}({num}, {delay}) 之后就结束的程序，运行了 {seconds:.0f} 秒还没有退出，评分程序把它停止了。是不是 {function} 或 work 在等一件永远不会发生的事（对一个不会结束的进程 join()、一个停不下来的循环）？",
    },
    "program_died": {
        "en": "The program ended (exit code {exitcode}) while {function}({num}, {delay}) was still running, before it returned. Does {function} call os._exit() or sys.exit(), or kill its own process? It should only start the worker and return it.",
        "zh": "{function}({num}, {delay}) 还没有返回，程序就结束了（退出码 {exitcode}）。是不是 {function} 调用了 os._exit() 或 sys.exit()，或者杀掉了自己的进程？它只需要启动子进程并把它返回。",
    },
    "daemon_set_too_late": {
        "en": "{function} set daemon after start(), and multiprocessing refused: AssertionError: {message}. A process becomes a daemon only if it is marked before it starts: Process(target=work, args=(num, delay), daemon=True), or process.daemon = True and then process.start(). Your code's traceback:\n{traceback}",
        "zh": "{function} 在 start() 之后才设置 daemon，multiprocessing 拒绝了：AssertionError: {message}。进程必须在启动之前就标记为守护进程：Process(target=work, args=(num, delay), daemon=True)，或者先 process.daemon = True 再 process.start()。你的代码的出错位置：\n{traceback}",
    },
    "never_started": {
        "en": "{function} returned a process that was never started, and work never ran. Call start() on it before returning it.",
        "zh": "{function} 返回了一个从未启动的进程，work 也从未运行。返回之前请对它调用 start()。",
    },
    "joined_with_timeout": {
        "en": "{function}({num}, {delay}) called join({timeout}) on the worker (pid {pid}): it waited up to {timeout} s for the worker before returning, and returned after {took:.2f} s. A join with a timeout is still a wait. {function} must return right after start(), with no join() at all: whoever calls it decides whether to wait.",
        "zh": "{function}({num}, {delay}) 对子进程（进程编号 {pid}）调用了 join({timeout})：返回之前最多等了它 {timeout} 秒，直到 {took:.2f} 秒才返回。带超时的 join 也是在等待。{function} 应该在 start() 之后立刻返回，完全不要 join()：要不要等待由调用它的人决定。",
    },
    "slept_inside": {
        "en": "{function}({num}, {delay}) slept {slept:.2f} s in {count} call(s) of time.sleep after starting the worker (pid {pid}), and returned after {took:.2f} s. Waiting a while for the worker (a sleep, or a loop on is_alive() that gives up) is still waiting: {function} must return right after start().",
        "zh": "{function}({num}, {delay}) 启动子进程（进程编号 {pid}）之后调用了 {count} 次 time.sleep，一共睡了 {slept:.2f} 秒，直到 {took:.2f} 秒才返回。先等子进程一会儿（sleep，或者循环检查 is_alive() 到一定次数就放弃）也是在等待：{function} 应该在 start() 之后立刻返回。",
    },
    "joined_inside": {
        "en": "{function}({num}, {delay}) called join() on the worker (pid {pid}), so it returned only after {took:.2f} s, when the worker had done all its work. {function} must return right after start(), without join(): whoever calls it decides whether to wait.",
        "zh": "{function}({num}, {delay}) 对子进程（进程编号 {pid}）调用了 join()，所以直到 {took:.2f} 秒、子进程把工作全部做完后才返回。{function} 应该在 start() 之后立刻返回，不要 join()：要不要等待由调用它的人决定。",
    },
    "waited_inside": {
        "en": "{function}({num}, {delay}) did not return while the worker (pid {pid}) was waiting for it ({patience:.1f} s); it returned only after {took:.2f} s. {function} must return right after start(), without waiting for the worker (no join(), no sleep, no loop until it ends).",
        "zh": "子进程（进程编号 {pid}）等了 {patience:.1f} 秒，{function}({num}, {delay}) 都没有返回；它直到 {took:.2f} 秒才返回。{function} 应该在 start() 之后立刻返回，不要等待子进程（不要 join()、不要 sleep、不要循环等它结束）。",
    },
    "returned_nothing": {
        "en": "{function} started the worker (pid {pid}) but returned None. Return the Process object (return process): whoever calls {function} needs it to check on the worker or to wait for it.",
        "zh": "{function} 启动了子进程（进程编号 {pid}），却返回了 None。请把进程对象返回（return process）：调用 {function} 的人需要用它查看或等待子进程。",
    },
    "returned_another_process": {
        "en": "{function} returned {got}, but work ran in pid {pid}. Return the Process object that runs work.",
        "zh": "{function} 返回了 {got}，但 work 是在进程编号为 {pid} 的进程里运行的。请返回执行 work 的那个进程对象。",
    },
    "left_behind": {
        "en": "After the program exited, {count} process(es) it started were still running (pid {processes}). When a program ends, none of its processes may stay behind. They were stopped by the grader.",
        "zh": "程序退出之后，它启动的 {count} 个进程还在运行（进程编号 {processes}）。程序结束时，不能留下任何进程。评分程序已把它们停止。",
    },
    "program_timings": {
        "en": "{function} returned after {took_ms:.0f} ms. The worker (pid {pid}) printed {count} line(s) between {first:.2f} s and {last:.2f} s; the main module ended at {ending:.2f} s and the program exited at {exited:.2f} s (times since the program started).",
        "zh": "{function} 用 {took_ms:.0f} 毫秒就返回了。子进程（进程编号 {pid}）在 {first:.2f} 秒到 {last:.2f} 秒之间打印了 {count} 行；主模块在 {ending:.2f} 秒执行完毕，程序在 {exited:.2f} 秒退出（时间从程序启动算起）。",
    },
})


def work_prints(scene: Scene, rng: random.Random) -> None:
    """Have the host call ``work`` alone; check what it printed and the pauses between its lines.

    What a call printed, and when, happened inside the host: the host's report of it is all there
    is (a forged one can pass this check, and no check that needs the program's worker).
    """
    num, delay = prints_values(rng)
    expect_hosted_prints(scene.play("work_prints", num=num, delay=delay), "work", WORD, num, delay)


def run_learner_program(grading: Grading, start_cost: float, function: str, num: int, delay: float) -> ProgramRun:
    """Run a program that calls ``function(num, delay)`` of the learner's module and then ends."""
    # Spent only by code that waits for its worker; the program is stopped after PROGRAM_LIMIT.
    patience = meeting_patience(start_cost, PROGRAM_LIMIT)
    # Long enough for a program that waits for every line even on a loaded machine: only a hang
    # reaches it.
    limit = min(PROGRAM_LIMIT, 10.0 + 2 * patience + 2 * num * delay + 40 * start_cost)
    witness = grading.host.witness if grading.host is not None else None
    spec = Spec(
        submission=str(grading.submission), module=grading.exercise.module, function=function, task="work",
        word=WORD, args=(num, delay), start_method=grading.start_method, folder=str(grading.scratch / "program"),
        patience=patience, witness=witness.address if witness is not None else None, token=os.urandom(8).hex(),
    )
    grace = 1.0 + 10 * start_cost
    run = run_program(spec, timeout=limit, grace=grace)
    if witness is not None:
        # Every process of the program is gone by now; its pid was read from the kernel while it ran.
        run.witnessed_pids = {s.pid for s in witness.sightings(spec.token) if s.claim.get("label") == "work"}
    return run

def _values(run: ProgramRun) -> dict[str, Any]:
    num, delay = run.spec.args
    return {"function": run.spec.function, "num": num, "delay": delay}


def expect_program_ran(run: ProgramRun) -> None:
    """Fail unless the program called the learner's function, which returned, and the program exited."""
    values = _values(run)
    if run.timed_out:
        raise Mistake("program_hung", seconds=run.exited - run.launched, **values)
    failed_import = run.record.get("import_error")
    if failed_import:
        raise Mistake("import_failed", module=run.spec.module, error=f"{failed_import['type']}: {failed_import['message']}",
                      traceback=failed_import["traceback"])
    if "called" not in run.record:
        # The learner's module imported fine in the grading process: this is the grader's failure.
        raise RuntimeError(f"the grader's program stopped before calling {run.spec.function} "
                           f"(exit code {run.exitcode}):\n{run.output}")
    if not run.finished_call:
        raise Mistake("program_died", exitcode=run.exitcode, **values)
    error = run.error
    if error is None:
        return
    if error["daemon_after_start"]:
        raise Mistake("daemon_set_too_late", message=error["message"], traceback=error["traceback"], **values)
    if error.get("cannot_pickle"):
        raise Mistake("cannot_pickle", error=f"{error['type']}: {error['message']}")
    if error["type"] == "NotImplementedError" and error["in_learner_code"]:
        raise Mistake("not_implemented", function=values["function"])
    raise Mistake("raised", function=values["function"], error=f"{error['type']}: {error['message']}",
                  traceback=error["traceback"])


def the_worker(run: ProgramRun) -> tuple[Call, dict[str, Any] | None]:
    """The one call of ``work``, which ran in a new process with the right arguments, and that process.

    The process is what the program saw started (pid, daemon flag), or None when ``work`` ran in
    a process the program's main module did not start itself.
    """
    expect_program_ran(run)
    values = _values(run)
    calls = run.task_calls
    if not calls:
        result = run.result
        if result.get("is_process") and not result.get("started") and not run.started:
            raise Mistake("never_started", **values)
        raise Mistake("never_ran", function="work", expected=1)
    for call in calls:
        expect_new_process(call, run.pid, "work")
    expect_calls(calls, "work", 1)
    call = calls[0]
    expect_num_delay(stand_in(run.record.get("task_parameters")), call, values["num"], values["delay"], "work")
    entry = next((p for p in run.started if p["pid"] == call.pid), None)
    return call, entry


def expect_returned_at_once(run: ProgramRun, call: Call) -> None:
    """Fail unless the function returned the started process at once, without waiting for it in any way.

    The worker is held before its work until the call returns, so a call that waits for the
    worker to end never sees it end; a wait that gives up (a join with a timeout, sleeps between
    looks at is_alive()) is told from what the call did, not from how long it took.
    """
    values = _values(run)
    took = run.record["returned"] - run.record["called"]
    if any(j["timeout"] is None for j in run.joins):
        raise Mistake("joined_inside", pid=call.pid, took=took, **values)
    timed = [j for j in run.joins if j["timeout"] > 0]
    if timed:
        raise Mistake("joined_with_timeout", pid=call.pid, took=took, timeout=timed[0]["timeout"], **values)
    if not run.met:
        raise Mistake("waited_inside", pid=call.pid, took=took, patience=run.spec.patience, **values)
    if run.sleeps:
        raise Mistake("slept_inside", pid=call.pid, took=took, count=len(run.sleeps),
                      slept=sum(s["seconds"] for s in run.sleeps), **values)
    result = run.result
    if result.get("type") == "NoneType":
        raise Mistake("returned_nothing", pid=call.pid, **values)
    if not result.get("is_process"):
        raise Mistake("not_a_process", function=values["function"], got=result.get("repr", "?"))
    if result.get("pid") != call.pid:
        raise Mistake("returned_another_process", got=result.get("repr", "?"), pid=call.pid, **values)


def expect_nothing_left(run: ProgramRun) -> None:
    """Fail if any process of the program outlived it."""
    # multiprocessing's helpers outlive the program only while another of its processes holds
    # them: name the processes that are the learner's, unless the helpers are all there is.
    left = [p for p in run.left_behind if not p.get("helper")] or run.left_behind
    if left:
        shown = ", ".join(f"{p['pid']}" + (f" {p['command']!r}" if _telling(p["command"]) else "") for p in left)
        raise Mistake("left_behind", count=len(left), processes=shown)


def _telling(command: str) -> bool:
    """Whether a command line tells the learner something (a fork of the program or of a helper does not)."""
    return bool(command) and "multiprocessing" not in command and "grader.inside.program" not in command


def lines_before_exit(run: ProgramRun, call: Call) -> list[float]:
    """When each line of ``work`` was printed while the program still ran.

    A worker held before its last line that went on because the program had gone printed the
    rest after its exit, whatever the clocks say about the moment the grader saw the exit.
    """
    cut = run.exited
    if went_on_after_exit(run, call):
        cut = min(cut, run.hold_of(call.pid)["released"])  # type: ignore[index]
    return [t for t in lines_of(call) if t <= cut]


def went_on_after_exit(run: ProgramRun, call: Call) -> bool:
    """Whether the worker, held before its last line, went on only because the program had gone without waiting."""
    hold = run.hold_of(call.pid)
    return hold is not None and hold.get("why") == MAIN_GONE


def lines_of(call: Call) -> list[float]:
    """When each line of ``work`` was printed, however its text was cut into writes."""
    times: list[float] = []
    seen = ""
    for t, text in call.output:
        seen = seen[-len(WORD):] + text  # enough of the past to finish a line begun in it
        times += [t] * seen.count(WORD)
        seen = seen[seen.rfind(WORD) + len(WORD):] if WORD in seen else seen
    return times


def report_timings(run: ProgramRun, call: Call, feedback: Any) -> None:
    """Note when the function returned, when the worker printed, and when the program ended."""
    printed = lines_of(call)
    origin = run.launched
    first = printed[0] if printed else call.start
    last = printed[-1] if printed else call.start
    feedback.note("program_timings", function=run.spec.function, took_ms=1000 * (run.record["returned"] - run.record["called"]),
                  pid=call.pid, count=len(printed), first=first - origin, last=last - origin,
                  ending=run.at(run.record.get("ending")), exited=run.exited - origin)


def draw_timeline(run: ProgramRun, call: Call, feedback: Any) -> None:
    """Draw the program's main process and the worker on one time axis (shown with a failure too)."""
    origin = run.launched
    printed = lines_of(call)
    last = printed[-1] if printed else call.start
    feedback.timeline([
        {"label": "main", "pid": run.pid, "start": round(run.record["began"] - origin, 4),
         "end": round(run.exited - origin, 4), "returned": round(run.record["returned"] - origin, 4),
         "function": run.spec.function},
        {"label": "work", "pid": call.pid, "start": round(call.start - origin, 4),
         "end": round((call.end if call.end is not None else last) - origin, 4)},
    ])
