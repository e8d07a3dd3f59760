"""Shared helpers of the kit's own tests."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from grader import catalogue, runner
from grader.results import ExerciseResult

from .casebook import CASES  # noqa: F401 - where the known mistakes live; other tests import it from here

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"
START_METHODS = runner.available_start_methods()


def grade_one(folder: Path, module: str, start_method: str, seed: int = 1) -> ExerciseResult:
    """Grade one exercise of ``folder`` in-process (the runner still isolates it in a worker)."""
    run = runner.grade(folder, [catalogue.find(module)], start_method, seed)
    return run.exercises[0]


def submission_with(tmp_path: Path, module: str, source: Path) -> Path:
    """A submission folder holding ``source`` under the exercise's file name."""
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(source, folder / f"{module}.py")
    return folder


def ctrl_c_as_at_a_terminal() -> None:
    """(Popen's preexec_fn) The command about to run stops on SIGINT, as one started at a terminal does.

    A shell without job control starts a background command with SIGINT ignored, and an ignored
    signal stays ignored through exec: Python then installs no KeyboardInterrupt handler. Tests
    that send Ctrl-C would fail whenever the suite itself runs in the background.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def describe(result: ExerciseResult) -> str:
    """Every check's outcome, for an assertion message that shows what happened."""
    lines = [f"{result.exercise.module}: {result.status}"]
    for check in result.checks:
        lines.append(f"  {'ok ' if check.passed else 'FAIL'} {check.check} {check.key or ''}")
        if not check.passed:
            lines.append("       " + check.message("en").replace("\n", "\n       "))
    return "\n".join(lines)


@pytest.fixture(params=START_METHODS)
def start_method(request: pytest.FixtureRequest) -> str:
    return request.param
