"""Each known mistake fails its exercise, with the message meant for it, under every start method.

A case is a wrong submission of one exercise: ``tests/cases/<module>/<what it shows>.py``. Its
docstring says which mistake the grader must name: a line ``Expect: <message key>``, and
optionally ``Check: <check name>`` (the first check that fails, where it matters) and
``Methods: fork spawn`` (when the mistake only shows under some start methods). The cases are
read, and a grade judged, by :mod:`tests.casebook`, which the stress run (``nox -s stress``) shares.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .casebook import Case, load_cases, misgraded, why_not_here
from .conftest import START_METHODS, describe, grade_one, submission_with

CASE_LIST = load_cases(START_METHODS)


@pytest.mark.parametrize("case", CASE_LIST, ids=[c.id for c in CASE_LIST])
def test_the_mistake_is_named(case: Case, start_method: str, tmp_path: Path) -> None:
    if start_method not in case.methods:
        pytest.skip(f"this mistake shows only under {', '.join(case.methods)}")
    if reason := why_not_here(case.path):
        pytest.skip(reason)
    result = grade_one(submission_with(tmp_path, case.module, case.path), case.module, start_method)
    problem = misgraded(case, result)
    assert problem is None, f"{problem}\n{describe(result)}"
