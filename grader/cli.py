"""The command line: ``python -m grader [PATH] [options]`` and ``python -m grader gradebook DIR [options]``.

Exit status: 0 every exercise graded passes, 1 some fail, 2 the command could not grade.
The gradebook (a folder of submissions) lives in :mod:`grader.gradebook`; this module only hands it over.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Sequence

from . import catalogue, reports, runner, worker
from .messages import default_lang
from .results import GradeRun

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

HELP_ONLY = "grade only this exercise (a number, ex03, or the module name); repeatable"
HELP_START = "the start method the learner's code runs under: {} (default: this platform's, {})"
HELP_CLASSROOM = ("write version-3 test-runner results (the format of exercism, read by GitHub Classroom's "
                  "autograding-grading-reporter)")
HELP_SEED = "the seed of the random values the checks choose (default: a new one, printed); give it back to replay a run"


class UsageError(Exception):
    """The command cannot grade: a bad path or a bad option."""


def build_parser() -> argparse.ArgumentParser:
    methods = runner.available_start_methods()
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade the multiprocessing exercises in a folder and print the scoreboard.",
    )
    parser.add_argument("path", nargs="?", default="exercises", help="the folder with the exNN_*.py modules (default: exercises)")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write a results.json (Gradescope autograder format)")
    parser.add_argument("--junit", metavar="FILE", type=Path, help="write JUnit XML")
    parser.add_argument("--classroom", metavar="FILE", type=Path, help=HELP_CLASSROOM)
    parser.add_argument("--only", metavar="EX", action="append", default=[], help=HELP_ONLY)
    parser.add_argument("--start-method", choices=methods, help=HELP_START.format(", ".join(methods), runner.default_start_method()))
    parser.add_argument("--lang", choices=["en", "zh"], help="language of the feedback (default: from LANG / LC_ALL)")
    parser.add_argument("--seed", type=int, help=HELP_SEED)
    parser.add_argument("--timeout", type=positive_seconds, default=worker.CHECK_TIMEOUT, metavar="SECONDS",
                        help=f"time limit of one check, after which it fails as hung (default: {worker.CHECK_TIMEOUT:g})")
    return parser


def positive_seconds(text: str) -> float:
    """A time limit from the command line: a number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def select(names: Sequence[str]) -> list[catalogue.Exercise]:
    """The exercises named by ``--only`` (all of them when none is named), in catalogue order."""
    if not names:
        return list(catalogue.EXERCISES)
    chosen = set()
    for name in names:
        try:
            chosen.add(catalogue.find(name))
        except catalogue.UnknownExercise:
            known = ", ".join(e.id for e in catalogue.EXERCISES)
            raise UsageError(f"--only {name}: no such exercise (known: {known})") from None
    return [e for e in catalogue.EXERCISES if e in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["gradebook"]:  # a learner's folder named "gradebook" is graded as ./gradebook
        from . import gradebook

        return gradebook.main(args[1:])
    parser = build_parser()
    options = parser.parse_args(args)  # exits 2 on a bad option, as argparse does
    try:
        return grade_command(options)
    except UsageError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE


def grade_command(options: argparse.Namespace) -> int:
    lang = options.lang or default_lang()
    path = Path(options.path)
    if not path.is_dir():
        raise UsageError(f"{path} is not a folder: give the folder that holds your exNN_*.py files")
    exercises = select(options.only)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1, 10**6)
    method = options.start_method or runner.default_start_method()
    # Every report is written before grading and again after each exercise, the exercises not graded
    # yet failed as "interrupted": a grader killed midway still leaves a whole report behind.
    wanted = [(target, writer) for target, writer in ((options.json, reports.write_json),
                                                      (options.junit, reports.write_junit),
                                                      (options.classroom, reports.write_version3)) if target]
    pending = [runner.interrupted_result(e) for e in exercises] if wanted else []
    done: list[runner.ExerciseResult] = []
    began = time.monotonic()

    def write_reports(run: GradeRun) -> None:
        for target, writer in wanted:
            try:
                writer(run, target, lang)
            except OSError as problem:
                raise UsageError(f"cannot write {target}: {problem.strerror or problem}") from None

    write_reports(GradeRun(str(path), method, seed, pending, 0.0))
    out = sys.stdout
    colour = out.isatty()
    out.write(reports.word(lang, "grading", path=path, method=method, seed=seed) + "\n\n")
    out.flush()

    def show(result: runner.ExerciseResult) -> None:
        out.write(reports.exercise_line(result, lang, colour) + "\n")
        reason = reports.failure_text(result, lang)
        if reason:
            out.write(reason + "\n")
        out.flush()
        done.append(result)
        if wanted:
            write_reports(GradeRun(str(path), method, seed, done + pending[len(done):], time.monotonic() - began))

    run = runner.grade(path, exercises, method, seed, on_exercise=show, timeout=options.timeout)
    reports.write_summary(run, out, lang)
    write_reports(run)
    return EXIT_PASSED if run.all_passed else EXIT_FAILED
