"""The grader's own answers that no known mistake can be the first failure of: a check broken by a
bug of the grader, and the checks left after one whose worker died. (``grader.dev.keys`` names
these tests as what covers those keys.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.grading import plugin

from .conftest import START_METHODS, describe, grade_one, submission_with

HOSTILE = Path(__file__).parent / "hostile"


def test_a_bug_in_a_check_is_reported_as_the_graders_error(tmp_path: Path) -> None:
    """A check that fails by an exception of its own (not a Mistake) is told as the grader's bug, by the
    worker's own pytest plugin."""
    broken = tmp_path / "test_broken_check.py"
    broken.write_text("def test_broken():\n    {}['a key the check forgot']\n", encoding="utf-8")
    results = tmp_path / "results.jsonl"
    pytest.main([str(broken), "-q", "-p", "no:cacheprovider", "--noconftest"], plugins=[plugin.ResultWriter(results)])
    failure = json.loads(results.read_text(encoding="utf-8").splitlines()[0])["failure"]
    assert failure["key"] == "grader_error", failure
    assert all("KeyError" in failure[lang] and "a key the check forgot" in failure[lang] for lang in ("en", "zh"))


def test_the_checks_after_one_that_killed_the_worker_are_not_checked(tmp_path: Path) -> None:
    method = "fork" if "fork" in START_METHODS else START_METHODS[0]
    folder = submission_with(tmp_path, "ex01_create_process", HOSTILE / "kills_its_interpreter.py")
    result = grade_one(folder, "ex01_create_process", method)
    keys = [check.key for check in result.checks]
    assert keys[0] == "grading_process_died" and len(keys) > 1, describe(result)
    assert set(keys[1:]) == {"not_checked"}, describe(result)
    assert all(result.checks[0].title["en"] in check.message("en") for check in result.checks[1:]), describe(result)
