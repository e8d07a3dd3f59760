"""What the grader says, in English and Chinese: the one text system of the kit.

Every text is a template named by a key and defined once, key -> language -> template, by
:func:`define` in the module it belongs to: keys shared by several exercises in :data:`COMMON`,
an exercise's own keys in its checks module's ``MESSAGES``, what the command line prints around
them (scoreboard, hints, timelines, watch mode) in :data:`SCREEN`, the gradebook's in its module. A key
means one thing across the kit: defining it twice is an error at import. :func:`render` (and
:func:`word`, its short form for the screen) fills a template in a language; a value that itself
differs by language is a :class:`Text`, filled in the template's language.

A check that finds a mistake raises :class:`Mistake` with a message key and the values it
observed. The key names the mistake (the kit's own tests assert on it); the templates say what
the code did, what was expected and what to try.
"""

from __future__ import annotations

import importlib
import locale
import os
import pkgutil
import string
from dataclasses import dataclass
from typing import Any, Mapping

LANGS = ("en", "zh")

Templates = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Text:
    """A fragment that differs by language: filled into a template, it speaks the template's language."""

    en: str
    zh: str

    def __call__(self, lang: str) -> str:
        """The fragment in ``lang`` (English for a language it does not have)."""
        return self.zh if lang == "zh" else self.en

    def __add__(self, other: Text) -> Text:
        return Text(self.en + other.en, self.zh + other.zh)

    def as_dict(self) -> dict[str, str]:
        """The fragment as a JSON record keeps it: language -> text."""
        return {"en": self.en, "zh": self.zh}


NO_TEXT = Text("", "")


@dataclass(frozen=True)
class Definition:
    """One key's templates, one per language, and the module that defines them."""

    key: str
    templates: Mapping[str, str]
    where: str


class DuplicateKey(ValueError):
    """A key defined by two modules: every key of the kit means one thing."""


_DEFINED: dict[str, Definition] = {}


def define(where: str, table: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Define ``table``'s keys (key -> language -> template) as texts of module ``where``; return the table.

    Raises :class:`DuplicateKey` when another module already defines one of its keys, and
    ValueError when a key lacks a language: both at import, so no run of the kit can meet them.
    """
    for key, templates in table.items():
        if set(templates) != set(LANGS) or not all(templates[lang] for lang in LANGS):
            raise ValueError(f"{where}: text {key!r} has languages {sorted(templates)}; every text needs {LANGS}")
        known = _DEFINED.get(key)
        if known is not None and known.where != where:
            raise DuplicateKey(f"text {key!r} is defined in {known.where} and again in {where}: "
                               f"give one of them another key (a key means one thing across the kit)")
        _DEFINED[key] = Definition(key, templates, where)
    return table


class Mistake(AssertionError):
    """A mistake in the learner's code, named by ``key``, with the values observed."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


COMMON: dict[str, dict[str, str]] = define(__name__, {
    "missing_module": {
        "en": "There is no {module} in the folder being graded.",
        "zh": "被评分的文件夹里没有 {module}。",
    },
    "untouched": {
        "en": "Not started: every function in {module} still raises NotImplementedError. Replace each `raise NotImplementedError` with your code.",
        "zh": "还没有开始：{module} 里的每个函数都仍然抛出 NotImplementedError。请把每个 `raise NotImplementedError` 换成你的代码。",
    },
    "lines_too_close": {
        "en": "{function}({num}, {delay}) printed line {line} only {gap:.4f} s after the line before; sleeping {delay} s after each print puts at least {delay} s between two lines. Call time.sleep(delay) after each print.",
        "zh": "{function}({num}, {delay}) 打印第 {line} 行时，距上一行只过了 {gap:.4f} 秒；每次 print 之后休眠 {delay} 秒，两行之间至少相隔 {delay} 秒。请在每次 print 之后调用 time.sleep(delay)。",
    },
    "not_implemented": {
        "en": "{function} is not written yet: it still raises NotImplementedError. Replace `raise NotImplementedError` with your code.",
        "zh": "{function} 还没有完成：它仍然抛出 NotImplementedError。请把 `raise NotImplementedError` 换成你的代码。",
    },
    "raised": {
        "en": "{function} raised {error}. Expected it to finish without an error. Your code's traceback:\n{traceback}",
        "zh": "{function} 抛出了异常 {error}。它本应正常结束。你的代码的出错位置：\n{traceback}",
    },
    "import_failed": {
        "en": "Importing {module} failed with {error}, so nothing in it could be checked. Fix this first:\n{traceback}",
        "zh": "导入 {module} 时出错：{error}，所以其中的内容都无法检查。请先修正它：\n{traceback}",
    },
    "import_started_processes": {
        "en": "Importing {module} started {count} process(es). Code that starts processes must sit under `if __name__ == \"__main__\":` (or inside a function): under spawn and forkserver every child imports your module again and would start processes too.",
        "zh": "导入 {module} 时启动了 {count} 个进程。启动进程的代码必须放在 `if __name__ == \"__main__\":` 下面（或函数里）：在 spawn 和 forkserver 方式下，每个子进程都会重新导入你的模块，也会再启动进程。",
    },
    "timeout": {
        "en": "{what} did not finish within {seconds:.0f} s and was stopped. Is it waiting for something that never happens: join() on a process that never ends, a loop that never stops, a Pool result never produced? (If it starts processes at import, move that under `if __name__ == \"__main__\":`.)",
        "zh": "{what} 在 {seconds:.0f} 秒内没有结束，已被停止。是不是在等一件永远不会发生的事：对一个不会结束的进程 join()、一个停不下来的循环、一个永远等不到的进程池结果？（如果模块在导入时就启动进程，请把那部分放到 `if __name__ == \"__main__\":` 下面。）",
    },
    "grading_process_died": {
        "en": "Your code ended the grading process itself (exit code {exitcode}) during \"{check}\". Does it call os._exit(), kill its own process, or exit from a function that should run in a child process (run() instead of start())?",
        "zh": "你的代码在“{check}”时结束了评分进程本身（退出码 {exitcode}）。是不是调用了 os._exit()、杀掉了自己的进程，或者本应在子进程里运行的函数在当前进程里退出了（用了 run() 而不是 start()）？",
    },
    "grading_interrupted": {
        "en": "Not graded: the grading stopped before it reached this check (the grader was killed or ran out of time). Run it again; if this happens again, does your code end or stop the grader itself (os.kill on its parent process)?",
        "zh": "未评分：评分在检查到这一项之前就停止了（评分程序被结束了或超时了）。请再运行一次；如果再次发生，你的代码是不是结束或暂停了评分程序本身（对父进程调用了 os.kill）？",
    },
    "not_checked": {
        "en": "Not checked: grading of this exercise stopped at \"{check}\".",
        "zh": "未检查：本练习的评分在“{check}”处停止了。",
    },
    "leaked_processes": {
        "en": "Your code left {count} process(es) running after {function} returned: {processes}. Every process you start must have ended (join()) before the function that started it returns, unless the exercise says otherwise. They were stopped by the grader.",
        "zh": "{function} 返回后，你的代码还留下 {count} 个进程在运行：{processes}。除非题目另有要求，启动的每个进程都要在启动它的函数返回之前结束（join()）。评分程序已把它们停止。",
    },
    "too_many_processes": {
        "en": "{function} started more than {limit} processes; the grader stopped it there. Does a loop start processes without end, or does each child start more processes?",
        "zh": "{function} 启动了超过 {limit} 个进程，评分程序在此处停止了它。是不是有循环无休止地启动进程，或者每个子进程又启动了更多进程？",
    },
    "memory_limit": {
        "en": "Your code used more than {limit} of memory ({used} when it was stopped), counting every process it started. The grader stopped it there. Does a list or a string grow without end, or does a child process keep everything it reads in memory?",
        "zh": "你的代码使用了超过 {limit} 的内存（被停止时为 {used}，包括它启动的所有进程），评分程序在此处停止了它。是不是有列表或字符串无休止地增长，或者某个子进程把读到的全部内容都留在内存里？",
    },
    "process_limit": {
        "en": "Your code had more than {limit} processes alive at once ({count} when it was stopped), counting every process it started by any means (os.fork, subprocess, multiprocessing). The grader stopped them all. Does a loop start processes without end, or does each child start more?",
        "zh": "你的代码同时运行着超过 {limit} 个进程（被停止时为 {count} 个，包括用任何方式启动的进程：os.fork、subprocess、multiprocessing），评分程序把它们全部停止了。是不是有循环无休止地启动进程，或者每个子进程又启动了更多进程？",
    },
    "file_size_limit": {
        "en": "Your code wrote a file of {limit} ({file}) and a write beyond that size was refused. No exercise needs a file that large. Does a loop write without end, or does it write the same data again and again?",
        "zh": "你的代码写出了一个 {limit} 的文件（{file}），超过这个大小的写入被拒绝了。没有哪道练习需要这么大的文件。是不是有循环无休止地写入，或者一遍又一遍地写同样的数据？",
    },
    "output_limit": {
        "en": "Your code printed more than {limit}; the grader stopped it there. Does a loop print without end?",
        "zh": "你的代码打印了超过 {limit} 的内容，评分程序在此处停止了它。是不是有循环在无休止地打印？",
    },
    "cpu_limit": {
        "en": "Your code used more than {limit} s of CPU time, counting every process it started; the grader stopped it there. Does a process spin in a loop that never ends?",
        "zh": "你的代码使用了超过 {limit} 秒的 CPU 时间（包括它启动的所有进程），评分程序在此处停止了它。是不是有进程在一个永不结束的循环里空转？",
    },
    "tampered": {
        "en": "Your code reached into the grader ({what}), so this exercise gets 0 points. Your teacher sees this note too. Code that is graded must only do what the exercise asks: it must not import or change the grader or pytest, read its memory or frames, or touch its files and processes.",
        "zh": "你的代码试图干预评分程序（{what}），所以本练习得 0 分。你的老师也会看到这条说明。被评分的代码只应做题目要求的事：不得导入或修改评分程序或 pytest，不得读取它的内存或调用栈，也不得触碰它的文件和进程。",
    },
    "ran_via_run": {
        "en": "{function} ran inside the calling process (pid {pid}), not in a new one: your code called run() where it should call start(). run() only calls the target function; start() creates a new process that runs it.",
        "zh": "{function} 在调用者自己的进程（进程编号 {pid}）里运行，而不是在新进程里：你的代码调用了 run()，应该调用 start()。run() 只是直接调用目标函数；start() 才会创建新进程来执行它。",
    },
    "ran_in_thread": {
        "en": "{function} ran in a thread (\"{thread}\") of the calling process (pid {pid}), not in a process of its own. Use multiprocessing.Process, not threading.Thread.",
        "zh": "{function} 在调用者进程（进程编号 {pid}）的一个线程（“{thread}”）里运行，而不是在自己的进程里。请使用 multiprocessing.Process，而不是 threading.Thread。",
    },
    "ran_directly": {
        "en": "{function} was called directly in the calling process (pid {pid}), not in a new process. Create a multiprocessing.Process with target={function} and start() it.",
        "zh": "{function} 在调用者进程（进程编号 {pid}）里被直接调用了，而不是在新进程里执行。请创建 target={function} 的 multiprocessing.Process，然后 start()。",
    },
    "never_ran": {
        "en": "{function} never ran: no process called it. Expected it to run {expected} time(s) in new processes. Did you pass target={function} and call start()?",
        "zh": "{function} 从未运行：没有任何进程调用它。预期它在新进程中运行 {expected} 次。你传了 target={function} 并调用 start() 吗？",
    },
    "ran_too_often": {
        "en": "{function} ran {count} times; expected {expected}. Does your code start it more than once, or call it directly as well as in the process?",
        "zh": "{function} 运行了 {count} 次，预期 {expected} 次。是不是启动了不止一次，或者除了在进程中运行之外还直接调用了它？",
    },
    "child_failed": {
        "en": "{function} failed in its process with {error}: {message}",
        "zh": "{function} 在它的进程中出错：{error}: {message}",
    },
    "cannot_pickle": {
        "en": "The process could not be started: {error}. Under the spawn and forkserver start methods (macOS, Windows, and Linux from Python 3.14) the target and its arguments are pickled and sent to the new process, so the target must be a function defined at the top level of a module: not a lambda, not a function inside another function.",
        "zh": "进程无法启动：{error}。在 spawn 和 forkserver 启动方式下（macOS、Windows，以及 Python 3.14 起的 Linux），目标函数和参数要经过 pickle 序列化后传给新进程，所以目标函数必须定义在模块的最外层：不能是 lambda，也不能是定义在其他函数里面的函数。",
    },
    "not_a_process": {
        "en": "{function} returned {got}; expected a multiprocessing Process object.",
        "zh": "{function} 返回了 {got}；预期返回一个 multiprocessing 的 Process 进程对象。",
    },
    "not_a_child": {
        "en": "{function} ran in process {pid}, whose parent is process {parent}, not the caller (pid {caller}). Start the process directly from the function you were asked to write, with target={function}; do not start it from inside another child process.",
        "zh": "{function} 在进程 {pid} 里运行，它的父进程是 {parent}，而不是调用者（进程编号 {caller}）。请在你要写的函数里直接创建 target={function} 的进程并启动它；不要在另一个子进程里再去启动它。",
    },
})


# What the command line prints around the checks' messages: the scoreboard, hints, timelines, watch mode.
SCREEN: dict[str, dict[str, str]] = define(__name__, {
    "passed": {"en": "passed", "zh": "通过"},
    "failed": {"en": "failed", "zh": "未通过"},
    "not_started": {"en": "not started", "zh": "未开始"},
    "grading": {
        "en": "Grading {path} (start method {method}, seed {seed})",
        "zh": "正在评分 {path}（启动方式 {method}，随机种子 {seed}）",
    },
    "reason": {"en": "{title}:", "zh": "{title}："},
    "total": {
        "en": "Total {score}/{max_score} points: {passed} passed, {failed} failed, {todo} not started ({seconds:.1f} s)",
        "zh": "总分 {score}/{max_score}：{passed} 个通过，{failed} 个未通过，{todo} 个未开始（用时 {seconds:.1f} 秒）",
    },
    "next": {"en": "Next: {id} {title} ({file})", "zh": "下一个：{id} {title}（{file}）"},
    "all_done": {"en": "All exercises pass. Well done!", "zh": "所有练习都通过了，做得好！"},
    "all_graded_pass": {"en": "Every exercise graded passes. Well done!", "zh": "这次评分的练习全部通过了，做得好！"},
    "replay": {"en": "To replay exactly this run: --seed {seed}", "zh": "要原样重现这次评分：--seed {seed}"},
    "replay_header": {
        "en": "start method {method}, seed {seed} (replay with --start-method {method} --seed {seed})",
        "zh": "启动方式 {method}，随机种子 {seed}（重现：--start-method {method} --seed {seed}）",
    },
    "try_other": {
        "en": "Try your code under another platform's rules: --start-method spawn (macOS, Windows) or forkserver (Linux from Python 3.14).",
        "zh": "试试在其他平台的规则下运行你的代码：--start-method spawn（macOS、Windows）或 forkserver（Python 3.14 起的 Linux）。",
    },
    "hint": {"en": "Hint: ", "zh": "提示："},
    "hint_command": {"en": "Stuck? For a hint: {command}", "zh": "卡住了？查看提示：{command}"},
    "hints_title": {"en": "Hints for {id} {title} ({file}):", "zh": "{id} {title}（{file}）的提示："},
    "hints_more": {
        "en": "{shown} of {total} hints. The next one comes after {more} more failed grade(s) of this exercise.",
        "zh": "已显示 {shown}/{total} 条提示。本练习再有 {more} 次评分未通过，就会显示下一条。",
    },
    "hints_all": {
        "en": "All {total} hints shown. The reference answer is in solutions/{file}: try once more before you look!",
        "zh": "{total} 条提示已全部显示。参考答案在 solutions/{file}：看答案之前，再试一次吧！",
    },
    "timeline": {
        "en": "What ran, one row per process (time runs left to right):",
        "zh": "运行情况，每个进程一行（时间从左向右）：",
    },
    "timeline_row": {"en": "{label} pid {pid}", "zh": "{label}（进程编号 {pid}）"},
    "main_process": {"en": "main", "zh": "主进程"},
    "seconds": {"en": "{value:.2f} s", "zh": "{value:.2f} 秒"},
    "timeline_returned": {"en": "{function} returned at {seconds:.2f} s", "zh": "{function} 在 {seconds:.2f} 秒返回"},
    "timeline_main_row": {
        "en": "{main}: your program's main process, from its start to its exit.",
        "zh": "{main}：你的程序的主进程，从启动到退出。",
    },
    "watching": {
        "en": "Watching {path}: save an exercise file to grade it again. {stop}",
        "zh": "正在监视 {path}：每次保存练习文件都会重新评分。{stop}",
    },
    "stop_key": {"en": "Press q or Ctrl-C to stop, h for a hint.", "zh": "按 q 或 Ctrl-C 停止，按 h 查看提示。"},
    "stop_ctrl_c": {"en": "Press Ctrl-C to stop.", "zh": "按 Ctrl-C 停止。"},
    "saved": {"en": "{time} saved: {files}", "zh": "{time} 已保存：{files}"},
    "stopped": {"en": "Stopped watching.", "zh": "已停止监视。"},
    "not_a_folder": {
        "en": "{path} is not a folder: give the folder that holds your exNN_*.py files",
        "zh": "{path} 不是文件夹：请给出存放 exNN_*.py 文件的文件夹",
    },
    "no_such_exercise": {"en": "{name}: no such exercise (known: {known})", "zh": "{name}：没有这个练习（已有：{known}）"},
    "cannot_write": {"en": "cannot write {path}: {problem}", "zh": "无法写入 {path}：{problem}"},
    "error": {"en": "error: {problem}", "zh": "错误：{problem}"},
    # The learner's screen (grader/reports/console.py, grader/learner/): every failing check, names, watch, hints.
    "one_more_failed": {"en": "1 more check failed:", "zh": "另有 1 项检查未通过："},
    "more_failed": {"en": "{count} more checks failed:", "zh": "另有 {count} 项检查未通过："},
    "not_run_after": {
        "en": "{count} more check(s) not run: grading stopped at the one above.",
        "zh": "另有 {count} 项检查没有运行：评分在上面那一项处停止了。",
    },
    "grade_it": {"en": "Grade it alone: {command}", "zh": "单独评分：{command}"},
    "exercise_not_folder": {
        "en": "{path} is not a folder. To grade one exercise, name it after --only: {command}",
        "zh": "{path} 不是文件夹。要单独评分一个练习，请把它写在 --only 后面：{command}",
    },
    "hint_for_check": {"en": "For the check that failed, \"{title}\": {hint}", "zh": "针对未通过的检查“{title}”：{hint}"},
    "hints_current": {
        "en": "{id} is the exercise you are on: the first one your last grade did not pass.",
        "zh": "{id} 是你正在做的练习：上次评分中第一个没有通过的练习。",
    },
    "no_hint_needed": {
        "en": "Your last grade passed every exercise it graded: name one for its hints (hint ex03).",
        "zh": "上次评分的练习全部通过了：要看某个练习的提示，请写出它的名字（hint ex03）。",
    },
    "progress": {"en": "Progress: [{bar}] {passed}/{total}", "zh": "进度：[{bar}] {passed}/{total}"},
    "watch_keys": {
        "en": "Save an exercise file to grade it again. h: a hint for {id} · q or Ctrl-C: quit",
        "zh": "保存练习文件即重新评分。h：{id} 的提示 · q 或 Ctrl-C：退出",
    },
    "watch_keys_done": {"en": "Save an exercise file to grade it again. q or Ctrl-C: quit",
                        "zh": "保存练习文件即重新评分。q 或 Ctrl-C：退出"},
    "grading_now": {"en": "grading ...", "zh": "评分中……"},
    "watch_regrading": {"en": "{file} saved again: its grade starts over.", "zh": "{file} 又保存了一次：重新开始评分。"},
    "moved_on": {"en": "{done} passes! On to {id} {title}.", "zh": "{done} 通过了！接下来是 {id} {title}。"},
})


def render(key: str, values: Mapping[str, Any], lang: str, own: Templates | None = None) -> str:
    """The text ``key`` in ``lang``, filled with ``values`` (a :class:`Text` value in ``lang`` too).

    ``own``, a table of the caller's, is looked up first (kept for callers that still pass theirs;
    a table defined with :func:`define` need not be passed). An unknown key, or values that do not
    fit the template, still give a line that names what was meant, never an exception: the learner
    must always be told something.
    """
    known = _DEFINED.get(key)
    templates = (own or {}).get(key) or (known.templates if known is not None else None)
    if templates is None:
        return f"{key}: {dict(values)}"
    template = templates.get(lang) or templates["en"]
    filled = {name: value(lang) if isinstance(value, Text) else value for name, value in values.items()}
    try:
        return template.format(**filled)
    except (KeyError, IndexError, ValueError):
        return template + f" {filled}"


def word(lang: str, key: str, **values: Any) -> str:
    """The text ``key`` in ``lang``, filled with ``values``: :func:`render` for the screen's short texts."""
    return render(key, values, lang)


def plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each :class:`Text` as ``{"en": ..., "zh": ...}``, for a JSON record."""
    return {name: v.as_dict() if isinstance(v, Text) else v for name, v in values.items()}


def all_texts() -> dict[str, Definition]:
    """Every text of the kit by key, each with its templates and the module that defines it.

    Imports every module of the ``grader`` package (but entry points), so that each table is
    defined: a module that cannot be imported, or two modules that define one key, raise here. The
    one exception is a maintainers' module whose optional dependency (:data:`OPTIONAL_IMPORTS`, the
    ``mutation`` extra) is not installed: it defines no text, and a learner's kit does not have it.
    """
    import grader

    for module in pkgutil.walk_packages(grader.__path__, "grader."):
        if not module.name.endswith("__main__"):
            try:
                importlib.import_module(module.name)
            except ModuleNotFoundError as missing:
                if (missing.name or "").split(".")[0] not in OPTIONAL_IMPORTS:
                    raise
    return dict(sorted(_DEFINED.items()))


def definition(key: str) -> Definition:
    """The text ``key``: its templates and the module that defines it. Every module of the kit is
    imported (:func:`all_texts`, a few tenths of a second) only for a key not defined yet."""
    found = _DEFINED.get(key)
    return found if found is not None else all_texts()[key]


# What grader.dev's mutation run needs and nothing else does (pyproject.toml's ``mutation`` extra).
OPTIONAL_IMPORTS = ("cosmic_ray", "parso")


def placeholders(template: str) -> set[str]:
    """The field names a template uses."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE) is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "zh" if current.lower().startswith("zh") else "en"
