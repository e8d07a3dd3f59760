"""Shared helpers of the kit's own tests."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from grader import catalogue
from grader.dev.casebook import CASES  # noqa: F401 - where the known mistakes live; other tests import it from here
from grader.dev.pristine import pristine_exercises
from grader.grading import runner
from grader.results import ExerciseResult

from . import tiers

ROOT = Path(__file__).resolve().parent.parent
# The stubs as shipped, never the learner's ./exercises (tests/pristine.py says where they come from).
EXERCISES, EXERCISES_SOURCE = pristine_exercises(ROOT)
SOLUTIONS = ROOT / "solutions"
START_METHODS = runner.available_start_methods()


def pytest_addoption(parser: pytest.Parser) -> None:
    tiers.add_option(parser)
    parser.addoption("--all-methods", action="store_true", default=bool(os.environ.get("MP_KIT_ALL_METHODS")),
                     help="grade every known mistake under every start method (default: one each, rotating with "
                          "the Python version; also MP_KIT_ALL_METHODS=1)")


def methods_for_case(index: int, allowed: list[str], all_methods: bool) -> list[str]:
    """The start methods the ``index``-th known mistake is graded under in this run.

    Every one with ``--all-methods``; otherwise one, chosen by the case's place and the Python's minor
    version, so that in a run consecutive cases take turns, and over three consecutive Pythons (CI runs
    six) every case is graded under every method it shows under. The stress run grades every case
    under every method, every time; solutions, correct variants and stubs are graded under all of them
    in every run.
    """
    if all_methods or len(allowed) <= 1:
        return list(allowed)
    return [allowed[(index + sys.version_info.minor) % len(allowed)]]


def pytest_configure(config: pytest.Config) -> None:
    tiers.configure(config)
    # Every learner's run counts towards hints (grader/learner/hints.py): the kit's own gradings must
    # count in a file of their own, never in the maintainer's or learner's real progress.
    os.environ["MP_KIT_STATE"] = str(Path(tempfile.mkdtemp(prefix="mp-kit-tests-state-")) / "progress.json")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No test run is a failure, not pytest's exit 5: a selection that matched nothing must not pass for a green run."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"stubs graded: {EXERCISES_SOURCE}", f"tier: {config.getoption('--tier')}"]


def grade_one(folder: Path, module: str, start_method: str, seed: int = 1,
              first_failure_only: bool = False) -> ExerciseResult:
    """Grade one exercise of ``folder`` in-process (the runner still isolates it in a worker).

    ``first_failure_only`` stops its checks at the first that fails: for tests that judge only that one.
    """
    run = runner.grade(folder, [catalogue.find(module)], start_method, seed, first_failure_only=first_failure_only)
    return run.exercises[0]


def submission_with(tmp_path: Path, module: str, source: Path) -> Path:
    """A submission folder holding ``source`` under the exercise's file name."""
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(source, folder / f"{module}.py")
    return folder


def open_terminal() -> tuple[int, int]:
    """A pseudo-terminal (leader, follower) for a test that runs the grader at a terminal; skips where there is none.

    ``pty`` needs ``termios``, which Windows lacks: imported here, so that a test module using it still
    collects (and runs its other tests) there.
    """
    try:
        import pty
    except ImportError:
        pytest.skip("no pseudo-terminals on this platform (pty needs termios)")
    return pty.openpty()


def signals_as_at_a_terminal() -> None:
    """(Popen's preexec_fn) The command about to run stops on SIGINT, SIGTERM and SIGHUP, as one started at a terminal does.

    A shell without job control starts a background command with SIGINT ignored, ``nohup`` ignores
    SIGHUP, and an ignored signal stays ignored through exec: the grader then rightly keeps ignoring
    it. Tests that send these signals would fail whenever the suite itself runs that way.
    """
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


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
