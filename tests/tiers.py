"""The two tiers of the kit's tests: ``--tier quick`` (``nox -s quick``) runs every test that grades nothing.

No test is sorted by hand. In the quick tier, the moment a test would grade (call the runner,
or start ``python -m grader``, the Gradescope autograder or a maintainers' tool as a process),
it is skipped with the reason "grades: runs in nox -s tests". A new test thus lands in the
right tier by default, and one that starts grading later moves to the full tier by itself. The
full tier (``nox -s tests``, or pytest without ``--tier``) runs every test, these included.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from grader.grading import runner

QUICK = "quick"
REASON = "grades: runs in nox -s tests, not in the quick tier"
# A command that grades: python -m grader (any subcommand), the Gradescope autograder, the stress and bench tools
# (not python -m grader.dev check, which reads the kit without grading).
GRADING_COMMAND = re.compile(
    r"-m\s+(grader(?=\s|$)|grader\.teacher\.gradescope|grader\.dev\s+(stress|bench))|run_autograder")


def add_option(parser: pytest.Parser) -> None:
    parser.addoption("--tier", choices=[QUICK, "all"], default="all",
                     help="quick: only the tests that grade nothing (each test that grades is skipped)")


def grades(args: Any) -> bool:
    """Whether a command line (a list or a shell string) starts a grading."""
    text = args if isinstance(args, (str, bytes)) else " ".join(map(str, args))
    return bool(GRADING_COMMAND.search(text if isinstance(text, str) else text.decode(errors="replace")))


class _GuardedPopen(subprocess.Popen):  # type: ignore[type-arg]
    _child_created = False  # read by Popen.__del__ when __init__ stopped before starting anything

    def __init__(self, args: Any, *more: Any, **options: Any) -> None:
        if grades(args):
            pytest.skip(REASON)
        super().__init__(args, *more, **options)


def _refuse_to_grade(*args: Any, **kwargs: Any) -> Any:
    pytest.skip(REASON)


def configure(config: pytest.Config) -> None:
    """In the quick tier, make every way of grading skip the test that takes it (for the whole run)."""
    if config.getoption("--tier") != QUICK:
        return
    runner.grade_exercise = _refuse_to_grade
    subprocess.Popen = _GuardedPopen  # type: ignore[misc]
