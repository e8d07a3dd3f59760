"""Version-3 test-runner results: exercism's format, read by GitHub Classroom's grading reporter.

The spec (exercism/docs, building/tooling/test-runners/interface.md) gives each field its meaning:
``message`` says why a test did not pass, ``output`` holds only what the learner's code printed
(at most 500 characters), the top-level ``message`` at most 65,535 characters, paths relative to
the solution. GitHub Classroom's reporter adds ``line_no`` (it prints ``- line <line_no>``) and
receives the whole file base64-encoded in one environment variable, which Linux caps at 128 KiB:
so the file is kept within :data:`FILE_BUDGET` bytes whatever the learner's messages hold.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
from pathlib import Path
from typing import Any

from grader import messages
from grader.messages import render
from grader.reports.files import write_text_atomically
from grader.reports.gradescope import test_name
from grader.reports.outcome import is_error
from grader.reports.paths import relative_paths
from grader.results import CheckResult, GradeRun

OUTPUT_LIMIT = 500  # characters of a test's output, the spec's limit
OUTPUT_TRUNCATED = "Output was truncated. Please limit to 500 chars"  # the spec's own words
MESSAGE_LIMIT = 65_535  # characters of a message, the spec's limit for the top-level one
# Bytes of the whole file (UTF-8): base64 makes 4/3 of it, well under the 128 KiB one variable may hold.
FILE_BUDGET = 64 * 1024
SHORTEST_CUT = 100  # a message is never cut shorter than this to fit the budget

TEXT: dict[str, dict[str, str]] = messages.define(__name__, {
    "message_cut": {
        "en": "\n… ({count} more characters cut; the console and results.json show more of it)",
        "zh": "\n……（其余 {count} 个字符已截去；控制台和 results.json 里有更多内容）",
    },
})


def version3(run: GradeRun, lang: str, budget: int = FILE_BUDGET) -> dict[str, Any]:
    """The run as version-3 test-runner results, in at most ``budget`` bytes once written.

    One test per check, in catalogue order: ``name``, ``status`` (pass | fail | error), ``message``
    (why it failed), ``output`` (what the learner's code printed, where the check kept it, else
    empty), ``test_code`` (where the check lives and the command that replays it, with the seed),
    ``line_no`` (the line of the check in its module), ``task_id`` (the exercise's number),
    ``score`` (its points when passed, else 0) and ``max_score``. ``score`` and ``max_score`` at the
    top add up as the console does. The check's notes stay out of ``output``, as the spec asks: they
    are the grader's words, shown in the console and in results.json.
    """
    tests = [_test(run, result, check, lang) for result in run.exercises for check in result.checks]
    report = {"version": 3, "status": "pass", "message": None, "score": run.score, "max_score": run.max_score,
              "seed": run.seed, "start_method": run.start_method, "tests": tests}
    report.update(overall(tests))
    return fit(report, lang, budget)


def _test(run: GradeRun, result: Any, check: CheckResult, lang: str) -> dict[str, Any]:
    ex = result.exercise
    replay = (f"python -m grader {Path(run.submission).name or '.'} --only {ex.id} --seed {run.seed} "
              f"--start-method {run.start_method}")
    status = "pass" if check.passed else ("error" if is_error(check) else "fail")
    message = None if check.passed else relative_paths(check.message(lang), run.submission)
    return {
        "name": test_name(result, check.title, lang),
        "status": status,
        "message": message,
        "output": cut_output(relative_paths(learner_output(check), run.submission)),
        "test_code": f"grader/checks/{ex.filename}::{check.check}\n{replay}",
        "line_no": line_of(ex.module, check.check),
        "task_id": ex.number,
        "score": check.score,
        "max_score": check.points,
    }


def overall(tests: list[dict[str, Any]]) -> dict[str, Any]:
    """The top-level status and message: ``error`` (with the first test's message) only when no test ran."""
    statuses = {t["status"] for t in tests}
    if statuses == {"pass"}:
        return {"status": "pass", "message": None}
    if statuses == {"error"}:
        return {"status": "error", "message": tests[0]["message"]}
    return {"status": "fail", "message": None}


def learner_output(check: CheckResult) -> str:
    """What the learner's code printed in ``check``, where the check kept it (its failure's ``printed``)."""
    printed = (check.failure or {}).get("values", {}).get("printed")
    return printed if isinstance(printed, str) else ""


def cut_output(text: str) -> str:
    """``text`` within :data:`OUTPUT_LIMIT` characters, ending in the spec's truncation text when cut."""
    if len(text) <= OUTPUT_LIMIT:
        return text
    return text[:OUTPUT_LIMIT - len(OUTPUT_TRUNCATED) - 1] + "\n" + OUTPUT_TRUNCATED


def cut_message(text: str | None, limit: int, lang: str) -> str | None:
    """``text`` within ``limit`` characters, saying how much was cut when it was."""
    if text is None or len(text) <= limit:
        return text
    tail = render("message_cut", {"count": len(text) - limit}, lang)
    return text[:max(0, limit - len(tail))] + tail


def fit(report: dict[str, Any], lang: str, budget: int) -> dict[str, Any]:
    """``report`` with every message within :data:`MESSAGE_LIMIT` characters, and the file within ``budget`` bytes.

    When the messages together are too long, the longest are cut to one common length, the largest
    that fits (found by bisection): short messages stay whole, and each cut one says so.
    """
    originals = [t["message"] for t in report["tests"]]
    top = report["message"]

    def at(limit: int) -> dict[str, Any]:
        tests = [{**t, "message": cut_message(m, limit, lang)} for t, m in zip(report["tests"], originals, strict=True)]
        return {**report, "message": cut_message(top, limit, lang), "tests": tests}

    best = at(MESSAGE_LIMIT)
    if size(best) <= budget:
        return best
    low, high = SHORTEST_CUT, MESSAGE_LIMIT
    while low < high:
        middle = (low + high + 1) // 2
        if size(at(middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    return at(low)


def size(report: dict[str, Any]) -> int:
    """Bytes of ``report`` as :func:`write_version3` writes it."""
    return len(dumps(report).encode("utf-8"))


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


@functools.lru_cache(maxsize=None)
def line_of(module: str, check: str) -> int:
    """The line of ``def <check>`` in ``grader/checks/<module>.py`` (1 when it cannot be found, never 0)."""
    try:
        func = inspect.unwrap(getattr(importlib.import_module(f"grader.checks.{module}"), check))
        lines, first = inspect.getsourcelines(func)
    except (ImportError, AttributeError, OSError, TypeError):
        return 1
    for offset, line in enumerate(lines):
        if line.lstrip().startswith(("def ", "async def ")):
            return first + offset
    return max(first, 1)


def write_version3(run: GradeRun, path: Path, lang: str) -> None:
    """Write the version-3 results of ``run`` to ``path``."""
    write_text_atomically(path, dumps(version3(run, lang)))
