"""Correct submissions written differently from the reference solution pass, under every start method.

``tests/correct/<module>/<how it differs>.py`` is one such submission (its docstring says how it
differs: a Pool, an executor, pathlib, shutil...). The grader grades what the contract promises,
not the shape of our solution, so each must get full marks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.results import PASSED

from grader.dev.casebook import load_variants, variant_id, why_not_here
from .conftest import describe, grade_one, submission_with

VARIANTS = load_variants()


@pytest.mark.parametrize("path", VARIANTS, ids=[variant_id(p) for p in VARIANTS])
def test_a_correct_variant_passes(path: Path, start_method: str, tmp_path: Path) -> None:
    if reason := why_not_here(path):
        pytest.skip(reason)
    module = path.parent.name
    result = grade_one(submission_with(tmp_path, module, path), module, start_method)
    assert result.status == PASSED, describe(result)
    assert result.score == result.max_score
