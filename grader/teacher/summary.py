"""What the class got wrong: per exercise how many passed, and the most frequent mistakes, with who made them.

Built from each learner's :class:`~grader.results.GradeRun` (the grader's own record), never from a
rendering. A mistake is a message key in one exercise (``ex03_multitasking: missing_join``); a
learner counts once per mistake however many checks it failed. What is not a mistake of the
learner's is left out of the list: an exercise not started (missing, or still the stubs) is
counted as such, and ``not_checked`` only follows another failure of the same exercise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TextIO

from grader import messages
from grader.catalogue import Exercise
from grader.messages import render
from grader.reports.files import write_text_atomically
from grader.results import FAILED, NOT_STARTED, PASSED, CheckResult, GradeRun
from grader.teacher.export import csv_text, display_width, printable

# Keys that say a check was not reached because of an earlier failure: the earlier one is the mistake.
CONSEQUENCES = frozenset({"not_checked"})
TOP = 10  # mistakes shown on the console

TEXT: dict[str, dict[str, str]] = messages.define(__name__, {
    "summary_title": {"en": "What the class got wrong ({count} learner(s))", "zh": "全班的常见错误（共 {count} 名学生）"},
    "summary_exercise_line": {"en": "{exercise:<{width}}  passed {passed:>3}  failed {failed:>3}  not started {not_started:>3}",
                      "zh": "{exercise:<{width}}  通过 {passed:>3}  未通过 {failed:>3}  未开始 {not_started:>3}"},
    "summary_top": {"en": "Most frequent mistakes:", "zh": "最常见的错误："},
    "summary_mistake_line": {"en": "{count:>3} × {exercise} {key}: {who}", "zh": "{count:>3} × {exercise} {key}：{who}"},
    "summary_none": {"en": "No mistakes: every check that ran passed.", "zh": "没有错误：运行过的检查都通过了。"},
    "summary_csv": {"en": "Class summary written to {path}", "zh": "全班总结已写入 {path}"},
})
# ``what`` is passed, failed or not_started for an exercise's rows, a message key for a mistake's.
CSV_HEADER = ["exercise", "what", "learners", "out_of", "checks", "who", "example"]


@dataclass
class ExerciseTally:
    """How one exercise went for the class."""

    exercise: Exercise
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)


@dataclass
class MistakeTally:
    """One mistake (a message key in one exercise): who made it, in how many checks, and one learner's message."""

    exercise: Exercise
    key: str
    learners: list[str] = field(default_factory=list)
    checks: int = 0
    example: dict[str, str] = field(default_factory=dict)  # the first learner's message, by language

    @property
    def count(self) -> int:
        return len(self.learners)


@dataclass
class ClassSummary:
    """The class summary: the learners, every exercise's tally, the mistakes most frequent first."""

    learners: list[str]
    exercises: list[ExerciseTally]
    mistakes: list[MistakeTally]


def summarize(runs: Sequence[tuple[str, GradeRun]]) -> ClassSummary:
    """The summary of ``runs``, each a learner's name and record, in the order given.

    Mistakes are ordered by how many learners made them, then by exercise and key, so the same
    class gives the same list.
    """
    tallies: dict[str, ExerciseTally] = {}
    mistakes: dict[tuple[str, str], MistakeTally] = {}
    for name, run in runs:
        for result in run.exercises:
            ex = result.exercise
            tally = tallies.setdefault(ex.module, ExerciseTally(ex))
            status = result.status
            {PASSED: tally.passed, FAILED: tally.failed, NOT_STARTED: tally.not_started}[status].append(name)
            if status == NOT_STARTED:
                continue
            for check in result.checks:
                if check.passed or not check.key or check.key in CONSEQUENCES:
                    continue
                mistake = mistakes.setdefault((ex.module, check.key), MistakeTally(ex, check.key))
                mistake.checks += 1
                if name not in mistake.learners:
                    mistake.learners.append(name)
                if not mistake.example:
                    mistake.example = _messages(check)
    order = sorted(mistakes.values(), key=lambda m: (-m.count, m.exercise.number, m.key))
    exercises = sorted(tallies.values(), key=lambda t: t.exercise.number)
    return ClassSummary([name for name, _ in runs], exercises, order)


def _messages(check: CheckResult) -> dict[str, str]:
    failure = check.failure or {}
    return {lang: str(text) for lang, text in failure.items() if lang not in ("key", "values")}


def text(lang: str, name: str, /, **values: object) -> str:
    return render(f"summary_{name}", values, lang)


def write_console(summary: ClassSummary, out: TextIO, lang: str, top: int = TOP) -> None:
    """The summary on the console: a line per exercise, then the ``top`` most frequent mistakes and who made them."""
    out.write(text(lang, "title", count=len(summary.learners)) + "\n")
    width = max([len(t.exercise.module) for t in summary.exercises] + [8])
    for tally in summary.exercises:
        out.write("  " + text(lang, "exercise_line", exercise=tally.exercise.module, width=width,
                              passed=len(tally.passed), failed=len(tally.failed),
                              not_started=len(tally.not_started)) + "\n")
    if not summary.mistakes:
        out.write(text(lang, "none") + "\n")
        return
    out.write(text(lang, "top") + "\n")
    for mistake in summary.mistakes[:top]:
        who = ", ".join(printable(n) for n in mistake.learners[:8]) + (" …" if mistake.count > 8 else "")
        out.write("  " + text(lang, "mistake_line", count=mistake.count, exercise=mistake.exercise.id,
                              key=mistake.key, who=who) + "\n")
        example = example_line(mistake, lang)
        if example:
            out.write("        " + example + "\n")


def example_line(mistake: MistakeTally, lang: str, limit: int = 110) -> str:
    """The first line of one learner's message for ``mistake``, printable, cut to ``limit`` terminal columns."""
    lines = printable(mistake.example.get(lang) or mistake.example.get("en") or "").splitlines()
    line = lines[0] if lines else ""
    if display_width(line) <= limit:
        return line
    while display_width(line) > limit - 1:
        line = line[:-1]
    return line + "…"


def summary_rows(summary: ClassSummary, lang: str) -> list[list[object]]:
    """The summary as table rows: the header, a row per exercise (how many passed), a row per mistake."""
    rows: list[list[object]] = [list(CSV_HEADER)]
    everyone = len(summary.learners)
    for tally in summary.exercises:
        for what, names in ((PASSED, tally.passed), (FAILED, tally.failed), (NOT_STARTED, tally.not_started)):
            rows.append([tally.exercise.module, what, len(names), everyone, "", "; ".join(names), ""])
    for mistake in summary.mistakes:
        example = mistake.example.get(lang) or mistake.example.get("en") or ""
        rows.append([mistake.exercise.module, mistake.key, mistake.count, everyone, mistake.checks,
                     "; ".join(mistake.learners), example])
    return rows


def write_summary_csv(summary: ClassSummary, path: Path, lang: str) -> None:
    """The summary as CSV (UTF-8 with a BOM, formula-proof, as the gradebook CSV)."""
    write_text_atomically(path, csv_text(summary_rows(summary, lang)))
