"""Watch mode's screen at a terminal: progress, every exercise's state, the current exercise in full.

Rendered from results in memory; :mod:`grader.learner.watch` decides what they are and when to redraw.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Sequence, TextIO

from grader import catalogue
from grader.messages import word
from grader.reports import console, terminal
from grader.results import NOT_STARTED, PASSED, ExerciseResult

CLEAR = "\033[H\033[2J\033[3J"  # home, clear the screen and its scrollback: each redraw starts from the top
BAR_COLUMNS = 40


@dataclass
class Board:
    """What watch mode knows: the exercises watched, the last result of each, which are being graded, the current one."""

    exercises: Sequence[catalogue.Exercise]
    results: dict[str, ExerciseResult] = field(default_factory=dict)  # by exercise id
    grading: set[str] = field(default_factory=set)
    current: catalogue.Exercise | None = None
    message: str = ""  # the last thing that happened (a move on, a grade started over, a hint)

    @property
    def passed(self) -> int:
        return sum(1 for e in self.exercises if self.passes(e))

    def passes(self, exercise: catalogue.Exercise) -> bool:
        result = self.results.get(exercise.id)
        return result is not None and result.status == PASSED

    def first_not_passed(self, after: catalogue.Exercise | None = None) -> catalogue.Exercise | None:
        """The first exercise not passed, looking from just after ``after`` round to the start."""
        order = list(self.exercises)
        if after in order:
            cut = order.index(after) + 1
            order = order[cut:] + order[:cut]
        return next((e for e in order if not self.passes(e)), None)


def progress_bar(passed: int, total: int, lang: str, columns: int = BAR_COLUMNS) -> str:
    """``Progress: [#######----] 7/11``: plain characters, so every console can show it."""
    filled = round(columns * passed / total) if total else columns
    return word(lang, "progress", bar="#" * filled + "-" * (columns - filled), passed=passed, total=total)


def pending_line(exercise: catalogue.Exercise, lang: str, marks: dict[str, str]) -> str:
    """The line of an exercise not graded yet: its id and title, and that its grade is coming."""
    title = exercise.title(lang)
    pad = console.TITLE_COLUMNS - terminal.display_width(title)
    blank = " " * terminal.display_width(marks[PASSED])
    return f"{blank} {exercise.id}  {title}{' ' * max(pad, 1)}{word(lang, 'grading_now')}"


def render(board: Board, lang: str, width: int | None, colour: bool, stream: TextIO | None = None) -> str:
    """The whole screen: the progress bar, a line per exercise, the current exercise in full, what happened, the keys."""
    marks = console.marks_for(stream) if stream is not None else console.MARKS
    lines = [progress_bar(board.passed, len(board.exercises), lang), ""]
    for exercise in board.exercises:
        result = board.results.get(exercise.id)
        if result is None:
            lines.append(pending_line(exercise, lang, marks))
            continue
        line = console.exercise_line(result, lang, colour, marks)
        if exercise.id in board.grading:
            line += "  " + word(lang, "grading_now")
        lines.append(line)
    current = board.current
    if current is not None and current.id in board.results:
        shown = io.StringIO()
        result = board.results[current.id]
        console.write_exercise(result, shown, lang, colour, focus=True, width=width, marks=marks)
        if result.status == NOT_STARTED:  # nothing to explain yet: where to start
            shown.write(terminal.wrap(word(lang, "hint") + current.hint(0, lang), width) + "\n")
        lines += ["", shown.getvalue().rstrip("\n")]
    if board.message:
        lines += ["", terminal.wrap(board.message, width)]
    keys = word(lang, "watch_keys", id=current.id) if current is not None else word(lang, "watch_keys_done")
    lines += ["", terminal.wrap(keys, width)]
    return "\n".join(lines) + "\n"


class ScreenView:
    """Watch mode at a terminal: the whole screen redrawn at each change."""

    def __init__(self, out: TextIO, lang: str, colour: bool) -> None:
        self.out, self.lang, self.colour = out, lang, colour

    def show(self, board: Board) -> None:
        self.out.write(CLEAR + render(board, self.lang, terminal.width_of(self.out), self.colour, self.out))
        self.out.flush()

    def grading(self, board: Board, exercises: list[catalogue.Exercise], saved: bool, seed: int) -> None:
        self.show(board)

    def graded(self, board: Board, result: ExerciseResult) -> None:
        self.show(board)

    def finished(self, board: Board, run: object) -> None:
        self.show(board)
