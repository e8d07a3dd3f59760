"""Tamper evidence inside the grading worker: a detector, not a sandbox (PEP 578 says as much).

Installed in the worker before the learner's module is imported, two instruments report to the
runner through the write end of a pipe that only the runner reads (:func:`install`):

* an **audit hook** (it cannot be removed once added, and holds everything it needs in its own
  default arguments, out of reach of a module attribute write) sees the learner's code import a
  grader or pytest module not yet loaded, write ``__code__``/``__defaults__`` or a type's
  special attributes, take frames (``sys._getframe``, ``tb_frame``, ``gi_frame``, ``f_code``,
  ``sys.settrace``), walk the heap (``gc.get_objects``/``get_referrers``), use ``ctypes``, open
  or list the grader's files (results, logs, ``/proc/self/fd``, ``/proc/<pid>/mem``), or signal
  the runner or the grading process from another. It reports the event *at that moment* and
  then makes the operation fail (PermissionError), so what it saw never took effect.
* a **seal** (:class:`SealCheck`) of what most cheats must replace and no audit event shows: every
  function and class in the grader's, pytest's and pluggy's modules, the attributes of their
  classes (``ResultWriter._result = ...``), and the clocks and ids the scenes read
  (``time.monotonic``, ``os.getpid``, ``json.dumps``, ``builtins.open`` ...). The learner host
  compares the grader's part after every request, before its reply is sent, and pytest's once its
  channel has closed (pytest runs in the checker: nothing of it makes a reply).

An event is the learner's when the frame that caused it (skipping the standard library's) runs
code from a file in the submission folder; the grader's and pytest's own frames never count.

Why a pipe: whatever reaches it only lowers the grade (the runner reads anything on it as
tampering), so forging on it gains nothing; a report is written before the operation it
reports, so ``os._exit`` afterwards cannot take it back; and a write end that was closed or
replaced (``os.close``, ``os.dup2``, neither audited) is noticed on the next report, which then
kills the grading process instead, failing the check. What it cannot see is in the README.
"""

from __future__ import annotations

import builtins
import functools
import itertools
import json
import operator
import os
import signal
import sys
import types
from pathlib import Path
from typing import Any, Callable, Iterable

# The grader's own code, and pytest's, which runs the checks.
OWN_PACKAGES = ("grader",)
PYTEST_PACKAGES = ("_pytest", "pytest", "pluggy", "pytest_timeout")
# Modules whose code is the grader's side: a frame running them is never the learner's.
GRADER_PACKAGES = OWN_PACKAGES + PYTEST_PACKAGES

# Importing these (when not loaded yet: a cached import raises no audit event) is reaching into the grader.
PROTECTED_IMPORTS = ("grader", "_pytest", "pluggy", "pytest_timeout")

# Functions the checks and the result writer rely on, outside the grader's own modules.
SEALED_NAMES = {
    "time": ("monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "time", "time_ns", "sleep",
             "thread_time", "process_time"),
    "os": ("getpid", "getppid", "kill", "killpg", "waitpid", "fork", "write", "open", "fstat", "stat",
           "listdir", "scandir", "replace", "rename", "_exit"),
    "builtins": ("open", "print", "isinstance", "getattr", "setattr", "hasattr", "type", "repr", "str", "len"),
    "io": ("open",),
    "json": ("dumps", "loads", "dump", "load"),
    "json.encoder": ("JSONEncoder",),
    "multiprocessing.process": ("BaseProcess", "current_process", "parent_process", "active_children"),
    "multiprocessing.connection": ("wait",),
    "traceback": ("format_exception", "extract_tb", "format_list", "format_exception_only"),
    "signal": ("signal",),
}

# Attribute reads that hand out a frame (and through it, every caller's locals and globals).
FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back", "f_code", "f_locals", "f_globals"}

# The event by which the seal reports through the hook (the hook's reporter is out of reach).
SEAL_EVENT = "grader.seal_broken"

# inspect's and traceback's functions that take a frame for their caller.
FRAME_GETTERS = {"currentframe", "stack", "getouterframes", "trace", "walk_stack"}

# Files under /proc/<the grader's pid>/ that expose its descriptors or memory.
PROC_ENTRIES = {"fd", "fdinfo", "mem", "environ", "map_files", "maps", "pagemap", "clear_refs"}

PATH_EVENTS = {"open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.truncate", "os.mkdir", "os.rmdir",
               "os.link", "os.symlink", "shutil.rmtree", "os.utime", "os.chmod"}

# ctypes reads and writes any memory; multiprocessing's shared Value and Array use it honestly.
WATCHED_CTYPES = ("ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.addressof", "ctypes.string_at",
                  "ctypes.wstring_at", "ctypes.cdata/buffer")

# Events that count only when the learner's frame does them itself, ctypes' own frames between (the
# standard library takes frames all the time: traceback, logging, warnings; and uses ctypes).
DIRECT_EVENTS = {"object.__getattr__", "sys._getframe", "sys._current_frames", "sys._current_exceptions",
                 *WATCHED_CTYPES}

# Events worth a look; every other event returns at once.
WATCHED = {
    SEAL_EVENT, *PATH_EVENTS, "import", "os.kill", "os.killpg", "signal.pthread_kill", "object.__setattr__", "object.__delattr__", "object.__getattr__", "sys._getframe",
    "sys._current_frames", "sys._current_exceptions", "sys.settrace", "sys.setprofile", "gc.get_objects",
    "gc.get_referrers", "gc.get_referents", *WATCHED_CTYPES,
}

# How many reports one process writes at most (the pipe never fills, a loop of cheats never stalls).
MAX_REPORTS = 16

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class Tampering(PermissionError):
    """Raised in the learner's code in place of an operation that reaches into the grader."""


def _grader_dirs() -> tuple[str, ...]:
    found = []
    for name in GRADER_PACKAGES:
        path = getattr(sys.modules.get(name), "__file__", None)
        if path:
            found.append(os.path.realpath(os.path.dirname(path) if name != "pytest_timeout" else path))
    return tuple(found)


def install(report_fd: int, submission: Path, scratch: Path, learner_folders: Iterable[Path], runner_pid: int,
            guarded: Iterable[int] = ()) -> None:
    """Add the audit hook, for good; from now on the learner's reach into the grader is reported on ``report_fd``.

    ``report_fd`` is the write end of the runner's pipe; ``scratch`` the exercise's scratch folder,
    where the learner's code may touch only ``learner_folders`` (its working folder, the files
    handed to it: the rest is the grader's records, rendezvous, results and logs);
    ``runner_pid`` the process that must not be signalled, ``guarded`` more such processes (the checker,
    seen from the learner host), whose process groups, descriptors and memory are as off limits.
    """
    os.set_blocking(report_fd, False)
    pipe = os.fstat(report_fd)
    worker_pid = os.getpid()
    guarded = tuple(guarded)
    guarded_names = tuple(str(pid) for pid in guarded)
    learner_dir = os.path.realpath(submission) + os.sep
    grader_dirs = _grader_dirs()
    scratch_dir = os.path.realpath(scratch) + os.sep
    allowed = tuple(os.path.realpath(p) + os.sep for p in learner_folders)
    watched_roots = ("/proc/", os.path.abspath(scratch) + os.sep, scratch_dir, *grader_dirs,
                     *(os.path.abspath(d) for d in grader_dirs))

    def report(what: str, _fd: int = report_fd, _identity: tuple = (pipe.st_dev, pipe.st_ino),
               _count: list = [0], _write: Callable = os.write, _fstat: Callable = os.fstat,  # noqa: B006
               _kill: Callable = os.kill, _getpid: Callable = os.getpid, _dumps: Callable = json.dumps) -> None:
        """Write ``what`` to the runner now; if the pipe was closed or replaced, kill this process instead."""
        if _count[0] >= MAX_REPORTS:
            return
        _count[0] += 1
        line = (_dumps({"tampered": str(what)[:300], "pid": _getpid()}) + "\n").encode("utf-8")
        try:
            now = _fstat(_fd)
            if (now.st_dev, now.st_ino) != _identity:
                raise OSError("the report pipe was replaced")
            _write(_fd, line)
        except BlockingIOError:
            pass  # the runner has more reports than it needs already
        except OSError:
            _kill(_getpid(), signal.SIGKILL)

    def whose(code: types.CodeType, _cache: dict = {}) -> str:  # noqa: B006 - one cache per worker, on purpose
        """``learner``, ``grader`` or ``other`` (the standard library, the interpreter's frozen modules)."""
        name = code.co_filename
        found = _cache.get(name)
        if found is None:
            path = os.path.realpath(name) if not name.startswith("<") else name
            if path.startswith(learner_dir):
                found = "learner"
            elif any(path.startswith(d) for d in grader_dirs):
                found = "grader"
            else:
                found = "other"
            _cache[name] = found
        return found

    def culprit(frame: types.FrameType | None, direct: bool) -> bool:
        """Whether the learner's code caused the event: the first frame, the standard library's skipped, is the
        learner's (``direct``: the very frame that did it is, or it called ``inspect`` to do it)."""
        depth = 0
        while frame is not None:
            side = whose(frame.f_code)
            if side != "other":
                return side == "learner"
            if direct and not (depth == 0 and frame.f_code.co_name in FRAME_GETTERS) \
                    and f"{os.sep}ctypes{os.sep}" not in frame.f_code.co_filename:
                return False
            depth += 1
            frame = frame.f_back
        return False

    def judge(event: str, args: tuple) -> str | None:
        """What the event does to the grader, if anything (the caller's frames then decide whose it is)."""
        if event == "import":
            name = args[0] or ""
            return f"import {name}" if any(name == p or name.startswith(p + ".") for p in PROTECTED_IMPORTS) else None
        if event in PATH_EVENTS:
            if event in ("os.rename", "os.link") and len(args) > 1:  # the target may be the grader's file
                return _judge_path(event, args) or _judge_path(event, args[1:])
            return _judge_path(event, args)
        if event in ("os.kill", "os.killpg"):
            pid, signum = args[0], args[1]
            if not signum:
                return None
            if event == "os.killpg":
                return f"os.killpg({pid}, {signum})" if pid in (0, worker_pid, *guarded) else None
            if pid == runner_pid or pid in (0, -1, -worker_pid, *guarded, *(-p for p in guarded)) \
                    or (pid == worker_pid and os.getpid() != worker_pid):
                return f"os.kill({pid}, {signum})"
            return None
        if event in ("object.__setattr__", "object.__delattr__"):
            target = args[0]
            module = getattr(target, "__module__", None) if isinstance(target, (type, types.FunctionType)) else None
            if isinstance(module, str) and module.split(".")[0] in GRADER_PACKAGES:
                return f"{event} {getattr(target, '__qualname__', target)}.{args[1]}"
            return None
        if event == "object.__getattr__":
            return f"{type(args[0]).__name__}.{args[1]}" if args[1] in FRAME_ATTRIBUTES else None
        return event

    def _judge_path(event: str, args: tuple) -> str | None:
        target = args[0] if args else None
        if isinstance(target, int):
            return f"{event} of the grader's descriptor {target}" if target == report_fd else None
        if not isinstance(target, (str, bytes, os.PathLike)):
            return None
        path = os.fsdecode(target)
        plain = os.path.abspath(path)
        if not plain.startswith(watched_roots) and not os.path.islink(plain):
            return None  # resolving every path the learner's code opens would triple the cost of open()
        real = os.path.realpath(path)
        if real.startswith(scratch_dir) and not (real + os.sep).startswith(allowed) and real + os.sep != scratch_dir:
            return f"{event} {path}"
        if path.startswith("/proc/"):
            parts = path.split("/")
            if len(parts) > 3 and parts[2] in ("self", "thread-self", str(worker_pid), str(runner_pid), *guarded_names) \
                    and parts[3] in PROC_ENTRIES:
                return f"{event} {path}"
        if event == "open" and any(real.startswith(d) for d in grader_dirs):
            mode = args[1] if len(args) > 1 else None
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (mode is None and flags & _WRITE_FLAGS):
                return f"open {path} for writing"
        if event != "open" and event not in ("os.listdir", "os.scandir") and any(real.startswith(d) for d in grader_dirs):
            return f"{event} {path}"
        return None

    def hook(event: str, args: tuple, _watched: frozenset = frozenset(WATCHED), _busy: list = [False],  # noqa: B006
             _getframe: Callable = sys._getframe, _judge: Callable = judge, _culprit: Callable = culprit,
             _report: Callable = report) -> None:
        if event not in _watched or _busy[0]:
            return
        _busy[0] = True
        try:
            if event == SEAL_EVENT:
                _report(args[0] if args else "the seal was broken")
                return
            # Whose first, then what: walking the stack costs a few lookups, judging a path resolves it
            # (the grader's own threads open files every few milliseconds while they watch).
            try:
                caller = _getframe(1)
            except ValueError:  # raised from C with no Python frame above: no code of the learner's
                return
            if not _culprit(caller, event in DIRECT_EVENTS):
                return
            what = _judge(event, args)
            if what is None:
                return
            _report(what)
        finally:
            _busy[0] = False
        raise Tampering(f"the grader refused: {what}")

    sys.addaudithook(hook)


def hide_pytest_config() -> None:
    """Drop the one reference from a module to pytest's running Config (and through it to every plugin,
    the result writer included) that a walk from ``sys.modules`` finds with no audit event on the way.

    pytest's assertion plugin sets one for the comparisons of rewritten asserts, which the worker
    does not rewrite (``--assert=plain``); its mark generator keeps one to warn of unknown marks
    while tests are collected, which is over by then.
    """
    for holder in (sys.modules.get("_pytest.assertion.util"),
                   getattr(sys.modules.get("_pytest.mark.structures"), "MARK_GEN", None)):
        if holder is not None and getattr(holder, "_config", None) is not None:
            holder._config = None


def _sealable(value: Any) -> bool:
    """Code, as opposed to state: functions, classes, modules (not a callback that pytest sets and resets
    itself, such as ``_pytest.assertion.util._reprcompare``: a function made inside another)."""
    if isinstance(value, types.FunctionType) and "<locals>" in value.__qualname__:
        return False
    return isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType,
                              types.MethodType, staticmethod, classmethod, property))


# A sealed namespace: (namespace, names, fetch (their values now, in C), values, labels, its size).
Group = tuple[Any, tuple[str, ...], Callable[[Any], tuple[Any, ...]], tuple[Any, ...], tuple[str, ...], int]

# name -> (module, its groups), kept from one seal to the next (and into a forked worker): a module is
# scanned again only when one of its namespaces changed in size or in a sealed value.
_SCANNED: dict[str, tuple[types.ModuleType, list[Group]]] = {}


def groups_of(entries: Iterable[tuple[Any, str, Any, str]]) -> list[Group]:
    """(namespace, name, value, label) entries, grouped by namespace."""
    grouped: dict[int, tuple[Any, list[str], list[Any], list[str]]] = {}
    for namespace, attr, value, label in entries:
        _namespace, attrs, values, labels = grouped.setdefault(id(namespace), (namespace, [], [], []))
        attrs.append(attr)
        values.append(value)
        labels.append(label)
    # itemgetter of one name gives its value, of several a tuple: one name is fetched as a pair of itself.
    return [(namespace, tuple(attrs), operator.itemgetter(*attrs) if len(attrs) > 1 else operator.itemgetter(*attrs * 2),
             tuple(values) if len(values) > 1 else (*values, *values), tuple(labels), len(namespace))
            for namespace, attrs, values, labels in grouped.values()]


def _unchanged(groups: list[Group]) -> bool:
    for namespace, _attrs, fetch, values, _labels, size in groups:
        try:
            if len(namespace) != size or not all(map(operator.is_, fetch(namespace), values)):
                return False
        except KeyError:
            return False
    return True


def _module_groups(name: str, module: types.ModuleType) -> list[Group]:
    """The groups of a grader or pytest module: its own code and its classes' (kept; scanned again if changed)."""
    kept = _SCANNED.get(name)
    if kept is not None and kept[0] is module and _unchanged(kept[1]):
        return kept[1]
    entries = []
    for attr, value in list(vars(module).items()):
        if _sealable(value):
            entries.append((vars(module), attr, value, f"{name}.{attr}"))
            if isinstance(value, type) and value.__module__ == name:
                for cls_attr, member in list(vars(value).items()):
                    if _sealable(member):
                        entries.append((vars(value), cls_attr, member, f"{name}.{attr}.{cls_attr}"))
    groups = groups_of(entries)
    _SCANNED[name] = (module, groups)
    return groups


def scan_for_seal() -> None:
    """Scan the grader's and pytest's modules loaded since the last scan, so that the seal of a host forked
    later only compares them rather than scan them afresh. A module scanned before is not compared here: this
    runs where no learner code ever has (the runner), and the seal compares every module anyway, scanning
    again what changed."""
    for name in list(sys.modules):
        module = sys.modules.get(name)
        kept = _SCANNED.get(name)
        if module is not None and name.split(".")[0] in GRADER_PACKAGES and (kept is None or kept[0] is not module):
            _module_groups(name, module)


def seal(packages: tuple[str, ...] = GRADER_PACKAGES, named_too: bool = True) -> "SealCheck":
    """The identity of the code of ``packages`` (the grader's and pytest's) and, with ``named_too``, of the
    functions it relies on (:data:`SEALED_NAMES`), now: :meth:`SealCheck.broken` compares it again and says what
    changed (the learner host does so after every request, and reports a change through the audit hook).

    Made once every grader and pytest module is loaded and before the learner's module is imported.
    """
    groups: list[Group] = []
    for name in list(sys.modules):
        module = sys.modules.get(name)
        if module is not None and name.split(".")[0] in packages:
            groups.extend(_module_groups(name, module))
    named = []
    for name, attrs in SEALED_NAMES.items() if named_too else ():
        module = builtins if name == "builtins" else sys.modules.get(name)
        for attr in attrs if module is not None else ():
            if attr in vars(module):
                named.append((vars(module), attr, vars(module)[attr], f"{name}.{attr}"))
    return SealCheck(groups + groups_of(named))


class SealCheck:
    """What :func:`seal` returns: ``broken()`` tells what changed, or None. Holds the sealed objects themselves, so
    that an id cannot be reused."""

    def __init__(self, groups: list[Group]) -> None:
        # One C-level fetch and identity comparison per namespace: the seal is compared after every
        # request, and a loop in Python over its thousands of entries cost a few milliseconds each time.
        def named(namespace: Any, attrs: tuple[str, ...], values: tuple[Any, ...], labels: tuple[str, ...],
                  _missing: object = object()) -> str:
            for attr, value, label in zip(attrs, values, labels, strict=True):
                if namespace.get(attr, _missing) is not value:
                    return f"replaced {label}"
            return f"replaced a name of {labels[0].rsplit('.', 1)[0]}"

        # Every namespace's values fetched and compared in one pass of C: no Python frame per namespace.
        fetches = [functools.partial(fetch, namespace) for namespace, _attrs, fetch, _values, _labels, _size in groups]
        expected = tuple(itertools.chain.from_iterable(group[3] for group in groups))

        def changed(_groups: list = groups, _named: Callable = named) -> str:
            for namespace, attrs, fetch, values, labels, _size in _groups:
                try:
                    now = fetch(namespace)
                except KeyError:
                    return _named(namespace, attrs, values, labels)
                if not all(map(operator.is_, now, values)):
                    return _named(namespace, attrs, values, labels)
            return "replaced a sealed name"

        def broken(_fetches: list = fetches, _expected: tuple = expected, _changed: Callable = changed,
                   _call: Callable = operator.methodcaller("__call__"), _chain: Callable = itertools.chain.from_iterable,
                   _is: Callable = operator.is_, _all: Callable = all, _map: Callable = map) -> str | None:
            try:
                if _all(_map(_is, _chain(_map(_call, _fetches)), _expected)):
                    return None
            except KeyError:  # a sealed name deleted
                pass
            return _changed()

        self.broken = broken
        self.size = sum(len(group[1]) for group in groups)
