"""The learner's scoreboard: a line per exercise, the first reason it fails, notes, timelines, what next."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import TextIO

from grader import catalogue
from grader.learner import hints
from grader.messages import word
from grader.reports import timeline
from grader.reports.timeline import display_width
from grader.results import FAILED, NOT_STARTED, PASSED, ExerciseResult, GradeRun

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
    lines = [note for check in result.checks for note in check.notes_in(lang)] if notes else []
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
