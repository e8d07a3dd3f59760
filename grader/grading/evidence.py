"""The runner's side of tamper evidence: what it reads, never what the learner's code says.

* :func:`in_source`: the learner's module read (never run) by the runner: an import of the
  grader, pytest's internals or pluggy, or an assignment to an attribute of a module the checks
  rely on (``time.monotonic = ...``). A cached import raises no audit event in the worker, and
  under spawn and forkserver the learner's children run without the worker's hook, so this is
  the one place such code is seen in every process.
* :class:`ReportPipe`: the pipe whose write end the worker's audit hook holds
  (:mod:`grader.inside.tamper`). Anything that arrives on it is evidence against the
  submission, forged or not: a forger can only lower its own grade.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

# Modules whose import by the learner's code is reaching into the grader (pytest itself is not:
# an honest learner may write tests of their own; pytest's classes are sealed in the worker).
GRADER_MODULES = ("grader", "_pytest", "pluggy", "pytest_timeout")

# Modules whose attributes the checks read (clocks, process ids, the result writer's helpers):
# code that assigns to one changes what the grader observes.
OBSERVED_MODULES = ("time", "os", "builtins", "json", "multiprocessing", "grader", "pytest", "_pytest", "pluggy")


def _reaches(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def _names_a_grader_module(text: str) -> bool:
    """Whether ``text`` is the name of a grader module this process has loaded (not "grader" alone: a word)."""
    return text != "grader" and _reaches(text, GRADER_MODULES) and text in sys.modules


def in_source(path: Path) -> str | None:
    """What in the module at ``path`` reaches into the grader, or None (also for a module that does not parse)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError, ValueError):
        return None
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _reaches(alias.name, GRADER_MODULES):
                    return f"line {node.lineno}: import {alias.name}"
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _reaches(node.module, GRADER_MODULES):
                return f"line {node.lineno}: from {node.module} import ..."
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = full
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _names_a_grader_module(node.value):
            return f"line {node.lineno}: {node.value!r}"  # sys.modules["grader.grading.plugin"], __import__(...)
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                module = aliases.get(target.value.id)
                if module is not None and _reaches(module, OBSERVED_MODULES):
                    return f"line {node.lineno}: {target.value.id}.{target.attr} = ..."
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr") \
                and node.args and isinstance(node.args[0], ast.Name):
            module = aliases.get(node.args[0].id)
            if module is not None and _reaches(module, OBSERVED_MODULES):
                return f"line {node.lineno}: {node.func.id}({node.args[0].id}, ...)"
    return None


class ReportPipe:
    """A pipe from the worker's audit hook to the runner; only the runner reads it."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)

    def close_write_end(self) -> None:
        """In the runner, once the worker has its copy: the pipe then ends when the worker's side does."""
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def evidence(self) -> str | None:
        """What the first report says, if any report (or anything at all) arrived; closes the pipe."""
        chunks = []
        try:
            while True:
                try:
                    chunk = os.read(self.read_fd, 65536)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.read_fd)
            self.close_write_end()
        data = b"".join(chunks)
        if not data.strip():
            return None
        first = data.split(b"\n", 1)[0]
        try:
            what = json.loads(first.decode("utf-8"))["tampered"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            what = None
        return str(what) if isinstance(what, str) and what else "unreadable report on the grader's pipe"
