"""The learner's scoreboard: a line per exercise, the first reason it fails, notes, timelines, what next."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import TextIO

from grader import catalogue
from grader.learner import hints
from grader.messages import word
from grader.reports import terminal, timeline
from grader.reports.terminal import display_width
from grader.results import FAILED, NOT_STARTED, PASSED, CheckResult, ExerciseResult, GradeRun

TITLE_COLUMNS = 42  # wide enough for the longest title of the catalogue
INDENT = " " * 6  # reasons, notes and timelines sit under their exercise's line

MARKS = {PASSED: "✔", FAILED: "✘", NOT_STARTED: "·"}
PLAIN_MARKS = {PASSED: "OK", FAILED: "X ", NOT_STARTED: ". "}  # for a console that cannot encode MARKS
COLOURS = {PASSED: "\033[32m", FAILED: "\033[31m", NOT_STARTED: "\033[2m"}
RESET = "\033[0m"


def colour_wanted(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream``: only a terminal, and not when NO_COLOR is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def marks_for(stream: TextIO) -> dict[str, str]:
    """The marks of passed, failed and not started: symbols where ``stream`` can print them, else plain ones."""
    return MARKS if terminal.can_encode(stream, "".join(MARKS.values())) else PLAIN_MARKS


def exercise_line(result: ExerciseResult, lang: str, colour: bool = False, marks: dict[str, str] = MARKS) -> str:
    """One scoreboard line: mark, id, title, tutorial sections, points and status."""
    ex = result.exercise
    status = result.status
    title = ex.title(lang)
    pad = TITLE_COLUMNS - display_width(title)
    line = (f"{marks[status]} {ex.id}  {title}{' ' * max(pad, 1)}{ex.sections:<10} "
            f"{result.score:>2}/{result.max_score:<2}  {word(lang, status)}")
    if colour:
        line = COLOURS[status] + line + RESET
    return line


def failure_text(result: ExerciseResult, lang: str) -> str:
    """Why an exercise fails, indented under its line: the first failed check in full, the others by title.

    Checks that did not run because grading stopped at an earlier one (a hang) are counted, not listed.
    """
    first = result.first_failure
    if first is None or result.status == NOT_STARTED:
        return ""
    lines = [word(lang, "reason", title=first.title[lang]), first.message(lang)]
    others = [c for c in result.checks if not c.passed and c is not first]
    failed = [c for c in others if c.key != "not_checked"]
    if failed:
        lines += more_failed(failed, lang)
    skipped = len(others) - len(failed)
    if skipped:
        lines.append(word(lang, "not_run_after", count=skipped))
    return textwrap.indent("\n".join(lines), INDENT)


def more_failed(checks: list[CheckResult], lang: str) -> list[str]:
    """The other failed checks of an exercise, by title: "2 more checks failed:", then a line for each."""
    head = word(lang, "one_more_failed" if len(checks) == 1 else "more_failed", count=len(checks))
    return [head] + [f"  - {c.title[lang]}" for c in checks]


def details_text(result: ExerciseResult, lang: str, colour: bool = False, notes: bool = True,
                 width: int | None = None) -> str:
    """The timelines the checks drew, after what they noted (with ``notes``), indented under the exercise's line."""
    room = None if width is None else width - len(INDENT)
    lines = [terminal.wrap(note, room) for check in result.checks for note in check.notes_in(lang)] if notes else []
    for bars in (bars for check in result.checks for bars in check.timelines):
        lines += ["", terminal.wrap(word(lang, "timeline"), room), *timeline.draw(bars, lang, colour=colour)]
    return textwrap.indent("\n".join(lines), INDENT)


def write_exercise(result: ExerciseResult, out: TextIO, lang: str, colour: bool = False, focus: bool = False,
                   width: int | None = None, marks: dict[str, str] | None = None) -> None:
    """An exercise's part of the scoreboard: its line; when it failed, the first reason and the timelines; when it
    passed while the learner works on it (``focus``: --only, watch mode), the checks' notes and timelines.

    The notes of a failed exercise are left out: written for code that passes, they would blur its reason.
    Reasons are wrapped to ``width`` columns (None: not wrapped); timelines never are. The marks are those
    ``out`` can print unless ``marks`` are given.
    """
    out.write(exercise_line(result, lang, colour, marks or marks_for(out)) + "\n")
    reason = failure_text(result, lang)
    if reason:
        out.write(terminal.wrap(reason, width) + "\n")
    if result.status == FAILED or (focus and result.status == PASSED):
        details = details_text(result, lang, colour, notes=result.status == PASSED, width=width)
        if details:
            out.write(details + "\n")


def write_scoreboard(run: GradeRun, out: TextIO, lang: str, colour: bool = False, focus: bool = False,
                     width: int | None = None) -> None:
    """The learner's scoreboard: a header, each exercise (see :func:`write_exercise`), the total, what next."""
    out.write(word(lang, "grading", path=run.submission, method=run.start_method, seed=run.seed) + "\n\n")
    for result in run.exercises:
        write_exercise(result, out, lang, colour, focus, width)
    write_summary(run, out, lang, width)


def write_summary(run: GradeRun, out: TextIO, lang: str, width: int | None = None) -> None:
    """The total, the next exercise to work on and how to get a hint for it, and the seed that replays the run."""
    counts = {s: sum(1 for e in run.exercises if e.status == s) for s in (PASSED, FAILED, NOT_STARTED)}
    lines = [word(lang, "total", score=run.score, max_score=run.max_score, passed=counts[PASSED],
                  failed=counts[FAILED], todo=counts[NOT_STARTED], seconds=run.execution_time)]
    lines += what_next(run, lang)
    lines.append(word(lang, "replay", seed=run.seed))
    out.write("\n" + terminal.wrap("\n".join(lines), width) + "\n")


def what_next(run: GradeRun, lang: str) -> list[str]:
    """What to do after this run: the first exercise not passed and how to get a hint for it, or, when every
    exercise graded passes, the next one of the catalogue to work on (or the congratulations)."""
    upcoming = run.next_exercise
    if upcoming is not None:
        ex = upcoming.exercise
        lines = [word(lang, "next", id=ex.id, title=ex.title(lang), file=f"{Path(run.submission) / ex.filename}")]
        if upcoming.status == NOT_STARTED:
            return lines + [word(lang, "hint") + ex.hint(0, lang)]
        return lines + [word(lang, "hint_command", command=hints.command(ex, run.submission))]
    after = following(run)
    if after is None:
        return [word(lang, "all_done")] + ([word(lang, "try_other")] if run.start_method == "fork" else [])
    return [word(lang, "all_graded_pass"),
            word(lang, "next", id=after.id, title=after.title(lang), file=f"{Path(run.submission) / after.filename}"),
            word(lang, "grade_it", command=hints.grade_command(after, run.submission))]


def following(run: GradeRun) -> catalogue.Exercise | None:
    """The exercise to go on with after a run that graded only some: the first one after them it did not grade."""
    graded = {e.exercise for e in run.exercises}
    if not run.exercises or graded == set(catalogue.EXERCISES):
        return None
    last = max(catalogue.EXERCISES.index(e.exercise) for e in run.exercises)
    order = catalogue.EXERCISES[last + 1:] + catalogue.EXERCISES[:last]
    return next(e for e in order if e not in graded)
