"""Reports of a graded submission: the learner's scoreboard, Gradescope results.json, version-3 results
(exercism; GitHub Classroom's grading reporter), JUnit XML. Each names the seed and start method that
replay the run."""

from __future__ import annotations

import json
import os
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, TextIO

from . import catalogue, hints, timeline
from .messages import word
from .results import FAILED, NOT_STARTED, PASSED, CheckResult, ExerciseResult, GradeRun
from .timeline import display_width

TITLE_COLUMNS = 42  # wide enough for the longest title of the catalogue
INDENT = " " * 6  # reasons, notes and timelines sit under their exercise's line

MARKS = {PASSED: "✔", FAILED: "✘", NOT_STARTED: "·"}
COLOURS = {PASSED: "\033[32m", FAILED: "\033[31m", NOT_STARTED: "\033[2m"}
RESET = "\033[0m"


def colour_wanted(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream``: only a terminal, and not when NO_COLOR is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def exercise_line(result: ExerciseResult, lang: str, colour: bool = False) -> str:
    """One scoreboard line: mark, id, title, tutorial sections, points and status."""
    ex = result.exercise
    status = result.status
    title = ex.title(lang)
    pad = TITLE_COLUMNS - display_width(title)
    line = (f"{MARKS[status]} {ex.id}  {title}{' ' * max(pad, 1)}{ex.sections:<10} "
            f"{result.score:>2}/{result.max_score:<2}  {word(lang, status)}")
    if colour:
        line = COLOURS[status] + line + RESET
    return line


def failure_text(result: ExerciseResult, lang: str) -> str:
    """The first reason an exercise fails, indented under its line."""
    first = result.first_failure
    if first is None or result.status == NOT_STARTED:
        return ""
    head = word(lang, "reason", title=first.title[lang])
    return textwrap.indent(head + "\n" + first.message(lang), INDENT)


def details_text(result: ExerciseResult, lang: str, colour: bool = False, notes: bool = True) -> str:
    """The timelines the checks drew, after what they noted (with ``notes``), indented under the exercise's line."""
    lines = [note for check in result.checks for note in _notes(check, lang)] if notes else []
    for bars in (bars for check in result.checks for bars in check.timelines):
        lines += ["", word(lang, "timeline"), *timeline.draw(bars, lang, colour=colour)]
    return textwrap.indent("\n".join(lines), INDENT)


def write_exercise(result: ExerciseResult, out: TextIO, lang: str, colour: bool = False, focus: bool = False) -> None:
    """An exercise's part of the scoreboard: its line; when it failed, the first reason and the timelines; when it
    passed while the learner works on it (``focus``: --only, watch mode), the checks' notes and timelines.

    The notes of a failed exercise are left out: written for code that passes, they would blur its reason.
    """
    out.write(exercise_line(result, lang, colour) + "\n")
    reason = failure_text(result, lang)
    if reason:
        out.write(reason + "\n")
    if result.status == FAILED or (focus and result.status == PASSED):
        details = details_text(result, lang, colour, notes=result.status == PASSED)
        if details:
            out.write(details + "\n")


def write_scoreboard(run: GradeRun, out: TextIO, lang: str, colour: bool = False, focus: bool = False) -> None:
    """The learner's scoreboard: a header, each exercise (see :func:`write_exercise`), the total, what next."""
    out.write(word(lang, "grading", path=run.submission, method=run.start_method, seed=run.seed) + "\n\n")
    for result in run.exercises:
        write_exercise(result, out, lang, colour, focus)
    write_summary(run, out, lang)


def write_summary(run: GradeRun, out: TextIO, lang: str) -> None:
    """The total, the next exercise to work on and how to get a hint for it, and the seed that replays the run."""
    counts = {s: sum(1 for e in run.exercises if e.status == s) for s in (PASSED, FAILED, NOT_STARTED)}
    out.write("\n" + word(lang, "total", score=run.score, max_score=run.max_score, passed=counts[PASSED],
                          failed=counts[FAILED], todo=counts[NOT_STARTED], seconds=run.execution_time) + "\n")
    upcoming = run.next_exercise
    if upcoming is None:
        everything = {e.exercise for e in run.exercises} == set(catalogue.EXERCISES)
        out.write(word(lang, "all_done" if everything else "all_graded_pass") + "\n")
        if run.start_method == "fork":
            out.write(word(lang, "try_other") + "\n")
    else:
        ex = upcoming.exercise
        out.write(word(lang, "next", id=ex.id, title=ex.title(lang), file=f"{Path(run.submission) / ex.filename}") + "\n")
        if upcoming.status == NOT_STARTED:
            out.write(word(lang, "hint") + ex.hint(0, lang) + "\n")
        else:
            out.write(word(lang, "hint_command", command=hints.command(ex, run.submission)) + "\n")
    out.write(word(lang, "replay", seed=run.seed) + "\n")


def test_name(result: ExerciseResult, title: dict[str, str], lang: str) -> str:
    return f"{result.exercise.module}: {title[lang]}"


def gradescope(run: GradeRun, lang: str) -> dict[str, Any]:
    """The Gradescope autograder results.json for ``run``.

    Per test ``name``, ``score``, ``max_score``, ``status`` (``passed`` | ``failed``), ``output`` (why it
    failed, then the check's notes) and ``visibility``; at the top the total, the maximum,
    ``execution_time`` in seconds, and in ``output`` the start method and seed that replay the run.
    """
    tests = []
    for result in run.exercises:
        for check in result.checks:
            tests.append({
                "name": test_name(result, check.title, lang),
                "score": check.score,
                "max_score": check.points,
                "status": "passed" if check.passed else "failed",
                "output": "\n".join(filter(None, [check.message(lang), *_notes(check, lang)])),
                "visibility": "visible",
            })
    return {
        "score": run.score,
        "max_score": run.max_score,
        "execution_time": round(run.execution_time, 3),
        "output": word(lang, "replay_header", method=run.start_method, seed=run.seed),
        "visibility": "visible",
        "tests": tests,
    }


def write_json(run: GradeRun, path: Path, lang: str) -> None:
    """Write the Gradescope results.json of ``run`` to ``path``."""
    write_text_atomically(path, json.dumps(gradescope(run, lang), ensure_ascii=False, indent=2) + "\n")


# A check that failed for one of these reasons never ran the learner's code to the end: version 3
# calls that an error, not a failure.
ERROR_KEYS = frozenset({"import_failed", "grading_process_died", "not_checked", "grading_interrupted", "grader_error"})
V3_OUTPUT_LIMIT = 500  # characters of a test's output, as the version-3 format requires


def version3(run: GradeRun, lang: str) -> dict[str, Any]:
    """The run as version-3 test-runner results (exercism; GitHub Classroom's grading reporter reads them).

    One test per check, in catalogue order: ``name``, ``status`` (pass | fail | error), ``message``
    (why it failed), ``test_code`` (where the check lives and the command that replays it, with the
    seed), ``task_id`` (the exercise's number), ``score`` (its points when passed, else 0) and
    ``output`` (the check's notes). ``score`` and ``max_score`` at the top add up as the console does.
    """
    tests = []
    for result in run.exercises:
        ex = result.exercise
        replay = (f"python -m grader {run.submission} --only {ex.id} --seed {run.seed} "
                  f"--start-method {run.start_method}")
        for check in result.checks:
            status = "pass" if check.passed else ("error" if check.key in ERROR_KEYS else "fail")
            output = "\n".join(_notes(check, lang))
            if len(output) > V3_OUTPUT_LIMIT:
                output = output[:V3_OUTPUT_LIMIT - 1] + "…"
            tests.append({
                "name": test_name(result, check.title, lang),
                "status": status,
                "message": None if check.passed else check.message(lang),
                "output": output,
                "test_code": f"grader/checks/{ex.filename}::{check.check}\n{replay}",
                "task_id": ex.number,
                "score": check.score,
                "max_score": check.points,
            })
    statuses = {t["status"] for t in tests}
    if statuses == {"pass"}:
        overall, message = "pass", None
    elif statuses == {"error"}:
        overall, message = "error", next(t["message"] for t in tests)
    else:
        overall, message = "fail", None
    return {
        "version": 3,
        "status": overall,
        "message": message,
        "score": run.score,
        "max_score": run.max_score,
        "seed": run.seed,
        "start_method": run.start_method,
        "tests": tests,
    }


def _notes(check: CheckResult, lang: str) -> list[str]:
    """What a check noted besides pass or fail (a speed-up measured, a measurement skipped and why)."""
    return [note.get(lang) or note.get("en", "") for note in check.notes]


def write_version3(run: GradeRun, path: Path, lang: str) -> None:
    """Write the version-3 results of ``run`` to ``path``."""
    write_text_atomically(path, json.dumps(version3(run, lang), ensure_ascii=False, indent=2) + "\n")


def junit(run: GradeRun, lang: str) -> ET.ElementTree:
    """JUnit XML: a test suite per exercise, a test case per check.

    Each ``<testsuite>`` starts with its ``<properties>`` (seed, start method): that is where the
    JUnit schema puts them, and where CI viewers look.
    """
    total = sum(len(r.checks) for r in run.exercises)
    failed = sum(1 for r in run.exercises for c in r.checks if not c.passed)
    suites = ET.Element("testsuites", name="multiprocessing exercises", tests=str(total), failures=str(failed),
                        errors="0", time=f"{run.execution_time:.3f}")
    for result in run.exercises:
        failures = sum(1 for c in result.checks if not c.passed)
        suite = ET.SubElement(suites, "testsuite", name=result.exercise.module, tests=str(len(result.checks)),
                              failures=str(failures), errors="0", skipped="0", time=f"{result.duration:.3f}")
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="seed", value=str(run.seed))
        ET.SubElement(props, "property", name="start_method", value=run.start_method)
        ET.SubElement(props, "property", name="score", value=f"{result.score}/{result.max_score}")
        for check in result.checks:
            case = ET.SubElement(suite, "testcase", classname=result.exercise.module,
                                 name=check.title[lang], time=f"{check.duration:.3f}")
            if not check.passed:
                message = check.message(lang)
                failure = ET.SubElement(case, "failure", message=message.splitlines()[0] if message else "",
                                        type=check.key or "failed")
                failure.text = message
    return ET.ElementTree(suites)


def write_junit(run: GradeRun, path: Path, lang: str) -> None:
    """Write the JUnit XML of ``run`` to ``path``."""
    tree = junit(run, lang)
    ET.indent(tree)
    text = ET.tostring(tree.getroot(), encoding="unicode")
    write_text_atomically(path, '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n")


def write_text_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a reader (or a grader killed mid-write) never sees half a file."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
