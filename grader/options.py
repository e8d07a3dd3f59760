"""The options that every grading command shares (``python -m grader``, ``watch``, ``gradebook``), in one place.

Both :mod:`grader.cli` and :mod:`grader.teacher.gradebook` build their parsers from here, so neither
imports the other.
"""

from __future__ import annotations

import argparse
from typing import Sequence

from grader import catalogue
from grader.grading import runner, worker
from grader.messages import word

HELP_ONLY = "grade only this exercise (a number, ex03, or the module name); repeatable"
HELP_START = "the start method the learner's code runs under: {} (default: this platform's, {})"
HELP_SEED = "the seed of the random values the checks choose (default: a new one, printed); give it back to replay a run"
HELP_LANG = "language of the feedback (default: from LANG / LC_ALL)"
HELP_TIMEOUT = "time limit of one check, after which it fails as hung (default: {:g})"


class UsageError(Exception):
    """The command cannot grade: a bad path or a bad option."""


def add_selection_options(parser: argparse.ArgumentParser, seed_help: str = HELP_SEED,
                          lang_help: str = HELP_LANG) -> None:
    """``--only``, ``--start-method``, ``--lang``, ``--seed`` and ``--timeout``: what to grade, how, in which language."""
    methods = runner.available_start_methods()
    parser.add_argument("--only", metavar="EX", action="append", default=[], help=HELP_ONLY)
    parser.add_argument("--start-method", choices=methods, help=HELP_START.format(", ".join(methods), runner.default_start_method()))
    parser.add_argument("--lang", choices=["en", "zh"], help=lang_help)
    parser.add_argument("--seed", type=int, help=seed_help)
    parser.add_argument("--timeout", type=positive_seconds, default=worker.CHECK_TIMEOUT, metavar="SECONDS",
                        help=HELP_TIMEOUT.format(worker.CHECK_TIMEOUT))


def positive_seconds(text: str) -> float:
    """A time limit from the command line: a number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def positive_int(text: str) -> int:
    """A count from the command line: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def select(names: Sequence[str], lang: str = "en") -> list[catalogue.Exercise]:
    """The exercises named by ``--only`` (all of them when none is named), in catalogue order."""
    if not names:
        return list(catalogue.EXERCISES)
    chosen = {exercise_named(name, lang, "--only ") for name in names}
    return [e for e in catalogue.EXERCISES if e in chosen]


def exercise_named(name: str, lang: str = "en", given_as: str = "") -> catalogue.Exercise:
    """The exercise ``name`` (a number, ex03, or the module name); ``given_as`` says where the name came from."""
    try:
        return catalogue.find(name)
    except catalogue.UnknownExercise:
        known = ", ".join(e.id for e in catalogue.EXERCISES)
        raise UsageError(word(lang, "no_such_exercise", name=f"{given_as}{name}", known=known)) from None
