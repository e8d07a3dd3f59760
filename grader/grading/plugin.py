"""The pytest plugin of the grading worker: turns each check's outcome into one result line.

Each line is written (JSON, one per check) as soon as the check ends, so a worker that is killed
or killed by the learner's code still leaves the results of the checks before.
"""

from __future__ import annotations

import json
import re
import traceback
from pathlib import Path
from typing import Any, Iterator

import pytest

from grader import messages
from grader.checks import check_named
from grader.grading.result_pipe import write_line
from grader.inside.observe import jsonable
from grader.messages import Mistake

MESSAGES = messages.define(__name__, {
    "grader_error": {
        "en": "The grader itself failed here (a bug in the kit, not in your code; please report it):\n{traceback}",
        "zh": "评分程序自身在这里出错了（这是练习套件的缺陷，不是你的代码的问题；请报告它）：\n{traceback}",
    },
})


class Feedback:
    """What a check tells the learner besides pass or fail: notes and pictures of what ran."""

    def __init__(self) -> None:
        self.notes: list[dict[str, Any]] = []
        self.timelines: list[list[dict[str, Any]]] = []

    def note(self, key: str, **values: Any) -> None:
        self.notes.append({"key": key, "values": values})

    def timeline(self, bars: list[dict[str, Any]]) -> None:
        """Keep a timeline: one bar per process, ``label``, ``pid``, ``start``, ``end``."""
        self.timelines.append(bars)


class ResultWriter:
    """Hooks that collect the phases of each check and append its result to ``results_path``."""

    def __init__(self, results_path: Path, results_fd: int = -1) -> None:
        self.results_path = results_path
        self.results_fd = results_fd  # a hosted exercise's results pipe (grading/result_pipe.py); -1: the file
        self._failures: dict[str, tuple[str, BaseException | None, str]] = {}
        self._feedback: dict[str, Feedback] = {}
        self._durations: dict[str, float] = {}

    @pytest.fixture
    def feedback(self, request: pytest.FixtureRequest) -> Feedback:
        """Notes and timelines for the learner, kept with this check's result."""
        return self._feedback.setdefault(request.node.nodeid, Feedback())

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
        outcome = yield
        report = outcome.get_result()
        self._durations[item.nodeid] = self._durations.get(item.nodeid, 0.0) + report.duration
        if report.failed and item.nodeid not in self._failures:
            exc = call.excinfo.value if call.excinfo is not None else None
            self._failures[item.nodeid] = (call.when, exc, str(report.longrepr))

    def pytest_runtest_logfinish(self, nodeid: str, location: tuple) -> None:
        item = self._items.get(nodeid)
        if item is None:
            return
        line = json.dumps(self._result(item), ensure_ascii=False) + "\n"
        if self.results_fd >= 0:
            write_line(self.results_fd, line)
            return
        with open(self.results_path, "a", encoding="utf-8") as out:
            out.write(line)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self._items = {item.nodeid: item for item in items}

    def _result(self, item: pytest.Item) -> dict[str, Any]:
        check = check_named(item.module.__name__, item.name)
        result: dict[str, Any] = {
            "check": check.name,
            "title": check.title.as_dict(),
            "points": check.points,
            "passed": item.nodeid not in self._failures,
            "duration": round(self._durations.get(item.nodeid, 0.0), 4),
        }
        feedback = self._feedback.get(item.nodeid)
        if feedback is not None:
            result["notes"] = [_rendered(n["key"], n["values"]) for n in feedback.notes]
            result["timelines"] = feedback.timelines
        if not result["passed"]:
            when, exc, longrepr = self._failures[item.nodeid]
            result["failure"] = _describe(exc, longrepr, result["title"]["en"])
        return result


def _describe(exc: BaseException | None, longrepr: str, title: str) -> dict[str, Any]:
    """The learner-facing description of why a check failed."""
    if isinstance(exc, Mistake):
        return _rendered(exc.key, exc.values)
    if exc is not None and type(exc).__name__ == "Failed" and str(exc).startswith("Timeout"):
        found = re.search(r">([0-9.]+)s", str(exc))
        seconds = float(found.group(1)) if found else 0.0
        return _rendered("timeout", {"what": title, "seconds": seconds})
    detail = "".join(traceback.format_exception(exc)) if exc is not None else longrepr
    return _rendered("grader_error", {"traceback": detail[-3000:]})


# The longest a value of a message may be in a result: an exception whose text is megabytes long (the
# learner's own, or a whole file in its message) would otherwise be copied into every report three times.
LONGEST_VALUE = 20_000


def _capped(value: Any) -> Any:
    """``value``, a string cut to its first and last parts when longer than :data:`LONGEST_VALUE`."""
    if not isinstance(value, str) or len(value) <= LONGEST_VALUE:
        return value
    half = LONGEST_VALUE // 2
    return f"{value[:half]}\n[... {len(value) - 2 * half} characters left out ...]\n{value[-half:]}"


def _rendered(key: str, values: dict[str, Any]) -> dict[str, Any]:
    """Text ``key`` as a result records it: the key, the values (JSON) and the text in each language.

    String values longer than :data:`LONGEST_VALUE` are cut in the middle first.
    """
    values = {name: _capped(value) for name, value in values.items()}
    return {
        "key": key,
        "values": jsonable(messages.plain(values)),
        **{lang: messages.render(key, values, lang) for lang in messages.LANGS},
    }
