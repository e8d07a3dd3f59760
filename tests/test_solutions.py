"""Every reference solution passes, under every start method; every stub is reported as not started."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import catalogue
from grader.results import FAILED, NOT_STARTED, PASSED

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


@pytest.mark.parametrize("module", MODULES)
def test_the_checks_fail_every_stub_function(module: str, tmp_path: Path) -> None:
    # A stub module is "not started" without being run; here one public function more (written)
    # makes the grader run the checks against the stub's functions, which must all fail.
    source = (EXERCISES / f"{module}.py").read_text(encoding="utf-8")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / f"{module}.py").write_text(source + "\n\ndef written_by_the_learner():\n    return 1\n", encoding="utf-8")
    result = grade_one(folder, module, "fork")
    assert result.status == FAILED, describe(result)
    assert result.score == 0, describe(result)
    assert result.first_failure is not None and result.first_failure.key == "not_implemented", describe(result)
