"""Every reference solution passes, under every start method; every stub is reported as not started."""

from __future__ import annotations

import pytest

from grader import catalogue
from grader.results import NOT_STARTED, PASSED

from .conftest import EXERCISES, SOLUTIONS, describe, grade_one

MODULES = [e.module for e in catalogue.EXERCISES if e.checks_path.exists()]


@pytest.mark.parametrize("module", MODULES)
def test_the_solution_passes(module: str, start_method: str) -> None:
    result = grade_one(SOLUTIONS, module, start_method)
    assert result.status == PASSED, describe(result)
    assert result.score == result.max_score > 0


@pytest.mark.parametrize("module", MODULES)
def test_the_stub_is_not_started(module: str, start_method: str) -> None:
    result = grade_one(EXERCISES, module, start_method)
    assert result.status == NOT_STARTED, describe(result)
    assert result.score == 0
