"""Each known mistake fails its exercise, with the message meant for it, under every start method.

A case is a wrong submission of one exercise: ``tests/cases/<module>/<what it shows>.py``. Its
docstring says which mistake the grader must name: a line ``Expect: <message key>``, and
optionally ``Check: <check name>`` (the first check that fails, where it matters) and
``Methods: fork spawn`` (when the mistake only shows under some start methods).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.results import FAILED

from .conftest import CASES, START_METHODS, describe, grade_one, submission_with


@dataclass(frozen=True)
class Case:
    module: str
    path: Path
    expect: str
    check: str | None
    methods: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.module.split('_')[0]}/{self.path.stem}"


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES.glob("ex*/*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        fields = dict(re.findall(r"^(Expect|Check|Methods):\s*(.+)$", doc, re.MULTILINE))
        assert "Expect" in fields, f"{path}: its docstring needs a line 'Expect: <message key>'"
        methods = tuple(fields["Methods"].split()) if "Methods" in fields else tuple(START_METHODS)
        cases.append(Case(path.parent.name, path, fields["Expect"].strip(), fields.get("Check", "").strip() or None,
                          methods))
    return cases


CASE_LIST = load_cases()


@pytest.mark.parametrize("case", CASE_LIST, ids=[c.id for c in CASE_LIST])
def test_the_mistake_is_named(case: Case, start_method: str, tmp_path: Path) -> None:
    if start_method not in case.methods:
        pytest.skip(f"this mistake shows only under {', '.join(case.methods)}")
    result = grade_one(submission_with(tmp_path, case.module, case.path), case.module, start_method)
    assert result.status == FAILED, describe(result)
    first = result.first_failure
    assert first is not None and first.key == case.expect, describe(result)
    if case.check:
        assert first.check == case.check, describe(result)
    assert first.message("en") and first.message("zh")
