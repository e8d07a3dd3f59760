"""Checks of ex04_task_arguments: ``start_with_args``, ``start_with_kwargs`` and ``start_with_one_arg``.

Each function gets a recording task and values chosen afresh on every run; the check joins the
process it returns and reads what the task received in the child: by position or by name, in
which order, how many.

``start_with_args`` must pass the values by position, ``(name, num)``: the contract says "passes
``args`` as a tuple in that order", and telling ``args`` from ``kwargs`` is what the exercise
teaches, so keyword arguments with the right values do not pass it. Any sequence works as
``args`` (a list too), and any mapping as ``kwargs``: the child receives the same call.
"""

from __future__ import annotations

from typing import Any

from grader.grading.host_channel import Scene, SeenCall
from grader.inside.observe import jsonable

from .. import messages
from ..messages import Mistake
from . import check, expect_calls, expect_finished_cleanly, expect_new_process, plain_errors

# The checker starts a learner host for this exercise and never imports the learner's module
# (docs/DESIGN.md, "The trust boundary"); the scene is grader.inside.scenes.ex04_task_arguments.
HOST_MISTAKES = ()

MESSAGES = messages.define(__name__, {
    "not_returned": {
        "en": "{function} started a process (pid {pid}) but returned {got}. Return the process object (return process), so that the caller can join() it.",
        "zh": "{function} 启动了一个进程（进程编号 {pid}），但返回的是 {got}。请把进程对象返回（return process），这样调用者才能对它 join()。",
    },
    "process_not_started": {
        "en": "{function} returned a process that was never started, so task never ran. Call start() on it before returning it.",
        "zh": "{function} 返回的进程从来没有启动过，所以 task 根本没有运行。返回之前请对它调用 start()。",
    },
    "returned_other_process": {
        "en": "{function} returned the process with pid {returned}, but task ran in the process with pid {pid}. Return the process that runs task.",
        "zh": "{function} 返回的是进程编号为 {returned} 的进程，但 task 是在进程编号为 {pid} 的进程里运行的。请返回运行 task 的那个进程。",
    },
    "wrong_order": {
        "en": "start_with_args(task, {name!r}, {num!r}): task received the arguments in the wrong order, task{got}. args is a tuple in the order of task's parameters: args=(name, num).",
        "zh": "start_with_args(task, {name!r}, {num!r})：task 收到的参数顺序错了，是 task{got}。args 是元组，顺序要和 task 的参数顺序一致：args=(name, num)。",
    },
    "kwargs_instead_of_args": {
        "en": "{function}: task received its arguments by name, kwargs={got}, but this function must pass them by position, with args: {expected}.",
        "zh": "{function}：task 是按名字（kwargs={got}）收到参数的，但这个函数要求按位置传参，用 args：{expected}。",
    },
    "args_instead_of_kwargs": {
        "en": "start_with_kwargs(task, {name!r}, {num!r}): task received its arguments by position, args={got}, but this function must pass them by name, with kwargs: kwargs={{\"name\": name, \"num\": num}}.",
        "zh": "start_with_kwargs(task, {name!r}, {num!r})：task 是按位置（args={got}）收到参数的，但这个函数要求按名字传参，用 kwargs：kwargs={{\"name\": name, \"num\": num}}。",
    },
    "wrong_keys": {
        "en": "start_with_kwargs: task received kwargs with the keys {got}; expected exactly the keys 'name' and 'num', the names of task's parameters: kwargs={{\"name\": name, \"num\": num}}.",
        "zh": "start_with_kwargs：task 收到的 kwargs 的键是 {got}；预期正好是 'name' 和 'num' 这两个键，也就是 task 的参数名：kwargs={{\"name\": name, \"num\": num}}。",
    },
    "missing_comma": {
        "en": "start_with_one_arg(task, {value!r}): task received {count} arguments, task{got}, instead of the one argument {value!r}. (value) is not a tuple, only value in brackets, so args took it apart. A tuple of one value needs a comma: args=(value,).",
        "zh": "start_with_one_arg(task, {value!r})：task 收到了 {count} 个参数，task{got}，而不是一个参数 {value!r}。(value) 不是元组，只是加了括号的 value，所以 args 把它拆开了。只有一个数据的元组要加逗号：args=(value,)。",
    },
    "wrong_task_arguments": {
        "en": "{function}: task received task{got}; expected task{expected}.",
        "zh": "{function}：task 收到的调用是 task{got}；预期是 task{expected}。",
    },
})

NAMES = ("小明", "张三", "李四", "长门有希", "Yuki", "Nagato", "Mikuru", "王五")
PIECES = "唱歌跳舞进程abcxyz"


def _call_text(args: list, kwargs: dict) -> str:
    """How a call looks in Python: ``('Yuki', 3)`` or ``(name='Yuki', num=3)``."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return "(" + ", ".join(parts) + ")"


def _name_and_num(rng: Any) -> tuple[str, int]:
    return f"{rng.choice(NAMES)}{rng.randint(1, 99)}", rng.randint(2, 99)


def _launch(scene: Scene, function: str, *values: Any) -> SeenCall:
    """Have the host call ``function(task, *values)`` and join what it started; return the one call of task.

    Fails unless task ran once, in a new process, the one that ``function`` started and returned
    (a child of the caller, where the witness tells).
    """
    tuple_at = next((i for i, v in enumerate(values) if isinstance(v, tuple)), None)
    played = scene.play("launch", function=function, values=list(values), tuple_at=tuple_at)
    seen = played.observation
    for target in seen.get("targets", []):
        if target and not plain_errors.is_portable(str(target)):
            raise Mistake("target_not_portable", target=str(target))
    calls = played.calls("task")
    for call in calls:
        expect_new_process(call, played.caller, "task")
    started = list(seen.get("started", []))
    if not seen.get("is_process"):
        if started:
            raise Mistake("not_returned", function=function, pid=int(started[0]), got=str(seen.get("repr"))[:80])
        raise Mistake("not_a_process", function=function, got=str(seen.get("repr"))[:80])
    if not seen.get("returned_started"):
        raise Mistake("process_not_started", function=function)
    expect_calls(calls, "task", 1)
    call = calls[0]
    if seen.get("returned_pid") != call.pid:
        raise Mistake("returned_other_process", function=function, returned=seen.get("returned_pid"), pid=call.pid)
    if not call.is_child_of(played.caller):
        raise Mistake("not_a_child", function="task", pid=call.pid, parent=call.parent, caller=played.caller)
    expect_finished_cleanly(call, "task")
    return call


@check("start_with_args: task gets (name, num) by position", "start_with_args：task 按位置收到 (name, num)", points=2,
       blame="start_with_args")
def test_start_with_args(scene: Scene, rng: Any) -> None:
    name, num = _name_and_num(rng)
    call = _launch(scene, "start_with_args", name, num)
    expected = [name, num]
    if call.args == expected and not call.kwargs:
        return
    if call.args == [num, name] and not call.kwargs:
        raise Mistake("wrong_order", name=name, num=num, got=_call_text(call.args, {}))
    if not call.args and call.kwargs in ({"name": name, "num": num}, {"num": num, "name": name}):
        raise Mistake("kwargs_instead_of_args", function="start_with_args", got=repr(call.kwargs),
                      expected="args=(name, num)")
    raise Mistake("wrong_task_arguments", function="start_with_args", got=_call_text(call.args, call.kwargs),
                  expected=_call_text(expected, {}))


@check("start_with_kwargs: task gets name= and num= by name", "start_with_kwargs：task 按名字收到 name= 和 num=",
       points=2, blame="start_with_kwargs")
def test_start_with_kwargs(scene: Scene, rng: Any) -> None:
    name, num = _name_and_num(rng)
    call = _launch(scene, "start_with_kwargs", name, num)
    expected = {"name": name, "num": num}
    if not call.args and call.kwargs == expected:
        return
    if not call.kwargs and call.args in ([name, num], [num, name]):
        raise Mistake("args_instead_of_kwargs", name=name, num=num, got=repr(tuple(call.args)))
    if not call.args and len(call.kwargs) == 2 and set(call.kwargs) != {"name", "num"}:
        raise Mistake("wrong_keys", got=", ".join(repr(k) for k in call.kwargs))
    raise Mistake("wrong_task_arguments", function="start_with_kwargs", got=_call_text(call.args, call.kwargs),
                  expected=_call_text([], expected))


def _one_value(rng: Any) -> Any:
    """A value of two to five items (text, a list or a tuple), so that args=(value) always shows."""
    size = rng.randint(2, 5)
    kind = rng.choice(["text", "list", "tuple"])
    if kind == "text":
        return "".join(rng.choice(PIECES) for _ in range(size))
    items = [rng.randint(0, 99) for _ in range(size)]
    return items if kind == "list" else tuple(items)


@check("start_with_one_arg: task gets exactly one argument", "start_with_one_arg：task 正好收到一个参数", points=2,
       blame="start_with_one_arg")
def test_start_with_one_arg(scene: Scene, rng: Any) -> None:
    value = _one_value(rng)
    call = _launch(scene, "start_with_one_arg", value)
    # The record keeps tuples as lists: the value arrives as the same kind it was sent.
    expected = jsonable(value)
    if call.args == [expected] and not call.kwargs:
        return
    if call.args == list(expected) and not call.kwargs:
        raise Mistake("missing_comma", value=value, count=len(call.args), got=_call_text(call.args, {}))
    if not call.args and list(call.kwargs.values()) == [expected]:
        raise Mistake("kwargs_instead_of_args", function="start_with_one_arg", got=repr(call.kwargs),
                      expected="args=(value,)")
    raise Mistake("wrong_task_arguments", function="start_with_one_arg", got=_call_text(call.args, call.kwargs),
                  expected=_call_text([value], {}))
