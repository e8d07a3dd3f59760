"""multiprocessing's own error messages, told as what the learner's code did.

Some mistakes surface as an exception from deep inside multiprocessing whose text blames
something else: ``Process(target, name)`` passes the target as ``group`` ("group argument must be
None"), ``run()`` then ``join()`` says "can only join a started process", a lambda target under
spawn fails in pickling. :func:`call_plainly` calls the learner's function as ``call_learner`` does
and turns those into mistakes that say what happened and what to write instead. A target that
cannot be pickled is a mistake under every start method, fork included (it works there only
because fork copies the process): :func:`expect_portable_targets` reads it from the target itself.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from grader.grading.fixtures import Grading, call_learner
from grader.inside.observe import Call, StartedProcess

from .. import messages
from ..messages import Mistake
from . import expect_new_process

MESSAGES = messages.define(__name__, {
    "group_given_positionally": {
        "en": "{function} raised {error}: multiprocessing.Process's first parameter is group, not target, so Process(task, ...) passes your function as group. Name the arguments: multiprocessing.Process(target=task, name=name, args=(...)).",
        "zh": "{function} 抛出了 {error}：multiprocessing.Process 的第一个参数是 group，不是 target，所以 Process(task, ...) 把你的函数当成了 group。请写出参数名：multiprocessing.Process(target=task, name=name, args=(...))。",
    },
    "joined_before_start": {
        "en": "{function} raised {error}: join() was called on a process that was never started. run() does not start a process, it runs the target right here in the calling process; call start() to run it in a new process, then join() to wait for it.",
        "zh": "{function} 抛出了 {error}：对一个从未启动的进程调用了 join()。run() 不会启动进程，它直接在调用者的进程里执行目标函数；要在新进程里运行，请调用 start()，然后用 join() 等它结束。",
    },
    "target_not_portable": {
        "en": "A process was started with the target {target}, which cannot be pickled: it is a lambda or a function defined inside another function. Under fork it happens to work, because fork copies the whole program; under spawn and forkserver (macOS, Windows, Linux from Python 3.14) the target is pickled and sent to the new process, and this one fails to start. Define the target at the top level of the module and pass its arguments with args=(...).",
        "zh": "有一个进程的目标函数是 {target}，它无法被 pickle 序列化：它是 lambda，或者是定义在另一个函数里面的函数。在 fork 方式下碰巧能运行，因为 fork 会复制整个程序；在 spawn 和 forkserver 方式下（macOS、Windows，以及 Python 3.14 起的 Linux），目标函数要经过 pickle 序列化后传给新进程，这个进程就启动不了。请把目标函数定义在模块的最外层，参数用 args=(...) 传入。",
    },
})

_LOCAL_FUNCTION = re.compile(r"([\w.]*<(?:lambda|locals)>[\w.<>]*)")
_PICKLING = ("Can't pickle", "can't pickle", "Can't get local object", "PicklingError", "cannot pickle")


def plainer(mistake: Mistake) -> Mistake | None:
    """The mistake that ``mistake`` (the learner's function raised) really is, when multiprocessing's text hides it."""
    if mistake.key != "raised":
        return None
    error = str(mistake.values.get("error", ""))
    function = mistake.values.get("function", "your function")
    if "group argument must be None" in error:
        found = Mistake("group_given_positionally", function=function, error=error[:200])
    elif "can only join a started process" in error:
        found = Mistake("joined_before_start", function=function, error=error[:200])
    elif any(text in error for text in _PICKLING):
        local = _LOCAL_FUNCTION.search(error)
        found = (Mistake("target_not_portable", target=local.group(1)) if local
                 else Mistake("cannot_pickle", error=error[:300]))
    else:
        return None
    found.__context__ = mistake.__context__  # the learner's own exception, as checks read it
    return found


def call_plainly(grading: Grading, func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """:func:`call_learner`, with multiprocessing's misleading errors told as what the code did."""
    try:
        return call_learner(grading, func, *args, **kwargs)
    except Mistake as mistake:
        found = plainer(mistake)
        if found is None:
            raise
        raise found from None


def run_then_join(mistake: Mistake, calls: Iterable[Call], caller_pid: int) -> Mistake:
    """For "can only join a started process": the run-versus-start message when a recorded call ran through run()."""
    if mistake.key == "joined_before_start":
        for call in calls:
            expect_new_process(call, caller_pid)
    return mistake


def is_portable(qualified_name: str) -> bool:
    """Whether a function named ``module.qualname`` can be pickled by reference (not a lambda, not nested)."""
    return "<lambda>" not in qualified_name and "<locals>" not in qualified_name


def unportable(targets: Iterable[object]) -> Mistake | None:
    """``target_not_portable`` for the first of ``targets`` (qualified names, as a host reports them) that spawn and
    forkserver could not send to a child; None when every one can travel."""
    target = next((str(t) for t in targets if t and not is_portable(str(t))), None)
    return Mistake("target_not_portable", target=target) if target is not None else None


def expect_portable_targets(entries: Iterable[StartedProcess]) -> None:
    """Fail when a process was started with a target that spawn and forkserver could not send to it."""
    for entry in entries:
        if entry.target and not is_portable(entry.target):
            raise Mistake("target_not_portable", target=entry.target)


def explained(failure: Mistake | None, started: Iterable[StartedProcess], calls: Iterable[Call],
              caller_pid: int) -> Mistake | None:
    """The mistake a call kept for its checks (``call_patched``), told plainly; a target that cannot travel first."""
    try:
        expect_portable_targets(started)
        if failure is not None:
            found = plainer(failure) or failure
            return run_then_join(found, calls, caller_pid)
    except Mistake as mistake:
        return mistake
    return None
