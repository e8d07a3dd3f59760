"""Watch mode off a terminal (an IDE's run window, a pipe, a file): a plain log, nothing redrawn."""

from __future__ import annotations

import time
from typing import TextIO

from grader import catalogue
from grader.learner.screen import Board
from grader.messages import word
from grader.reports import console, terminal
from grader.results import ExerciseResult, GradeRun


class LogView:
    """Prints each grade as the scoreboard does, the summary over every exercise watched, then what to do."""

    def __init__(self, out: TextIO, submission: str, method: str, lang: str, stop: str, focus: bool) -> None:
        self.out, self.submission, self.method, self.lang, self.stop = out, submission, method, lang, stop
        self.focus = focus  # show a passed exercise's notes and timelines (--only)
        self.saved = False

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def grading(self, board: Board, exercises: list[catalogue.Exercise], saved: bool, seed: int) -> None:
        self.saved = saved
        if saved:
            files = ", ".join(e.filename for e in exercises)
            self.write("\n" + word(self.lang, "saved", time=time.strftime("%H:%M:%S"), files=files) + "\n")
        self.write(word(self.lang, "grading", path=self.submission, method=self.method, seed=seed) + "\n\n")

    def graded(self, board: Board, result: ExerciseResult) -> None:
        console.write_exercise(result, self.out, self.lang, focus=self.focus or self.saved,
                               width=terminal.width_of(self.out))
        self.out.flush()

    def finished(self, board: Board, run: GradeRun) -> None:
        run.start_method = self.method
        console.write_summary(run, self.out, self.lang, terminal.width_of(self.out))
        self.show(board)
        self.write("\n" + word(self.lang, "watching", path=self.submission, stop=self.stop) + "\n")

    def show(self, board: Board) -> None:
        if board.message:
            self.write(board.message + "\n")
            board.message = ""
