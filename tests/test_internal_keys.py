"""The grader's own answers that no known mistake can be the first failure of: a check broken by a
bug of the grader, and the checks left after one whose worker died. (``grader.dev.keys`` names
these tests as what covers those keys.)
"""

from __future__ import annotations

from pathlib import Path

from grader.grading import plugin

from .conftest import START_METHODS, describe, grade_one, submission_with

HOSTILE = Path(__file__).parent / "hostile"


def test_a_bug_in_a_check_is_reported_as_the_graders_error() -> None:
    try:
        {}["a key the check forgot"]
    except KeyError as bug:
        failure = plugin._describe(bug, "", {}, "a check")
    assert failure["key"] == "grader_error"
    assert all("KeyError" in failure[lang] and "a key the check forgot" in failure[lang] for lang in ("en", "zh"))


def test_the_checks_after_one_that_killed_the_worker_are_not_checked(tmp_path: Path) -> None:
    method = "fork" if "fork" in START_METHODS else START_METHODS[0]
    folder = submission_with(tmp_path, "ex01_create_process", HOSTILE / "kills_its_interpreter.py")
    result = grade_one(folder, "ex01_create_process", method)
    keys = [check.key for check in result.checks]
    assert keys[0] == "grading_process_died" and len(keys) > 1, describe(result)
    assert set(keys[1:]) == {"not_checked"}, describe(result)
    assert all(result.checks[0].title["en"] in check.message("en") for check in result.checks[1:]), describe(result)
