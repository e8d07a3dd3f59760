"""The kit's submissions of known grade: wrong ones, ``tests/cases/<module>/<what it shows>.py``, one per
known mistake, and correct ones written differently from the solution, ``tests/correct/<module>/<how>.py``.

A case's docstring says what the grader must answer: a line ``Expect: <message key>`` (the
mistake of the first check that fails), optionally ``Check: <check name>`` (which check that is,
where it matters) and ``Methods: fork spawn`` (when the mistake only shows under some start
methods). A correct variant must pass under every start method. Either kind may say, by a
docstring line ``Python: 3.11``, that it needs that Python or newer (an API added there): on an
older one it is skipped, with that reason. The test suite
(``tests/test_mistakes.py``, ``tests/test_correct.py``) and the stress run (:mod:`grader.dev.stress`) both
read them here and judge a case's grade with :func:`misgraded`, so they cannot disagree.

Kept free of pytest: the stress run and ``python -m grader.dev check`` import it outside any test.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from grader import KIT_ROOT
from grader.results import FAILED, ExerciseResult

CASES = KIT_ROOT / "tests" / "cases"
CORRECT = KIT_ROOT / "tests" / "correct"


@dataclass(frozen=True)
class Case:
    """One wrong submission of one exercise, and the grade it must get."""

    module: str
    path: Path
    expect: str
    check: str | None
    methods: tuple[str, ...]

    @property
    def id(self) -> str:
        """``ex03/missing_join``: the exercise and what the case shows."""
        return f"{self.module.split('_')[0]}/{self.path.stem}"


class BadCase(ValueError):
    """A case file whose docstring does not say what the grader must answer."""


def load_cases(start_methods: Sequence[str], folder: Path = CASES) -> list[Case]:
    """Every case under ``folder``, by exercise and name; a case without ``Methods:`` holds under ``start_methods``."""
    cases = []
    for path in sorted(folder.glob("ex*/*.py")):
        doc = docstring(path)
        fields = dict(re.findall(r"^(Expect|Check|Methods):\s*(.+)$", doc, re.MULTILINE))
        if "Expect" not in fields:
            raise BadCase(f"{path}: its docstring needs a line 'Expect: <message key>'")
        methods = tuple(fields["Methods"].split()) if "Methods" in fields else tuple(start_methods)
        cases.append(Case(path.parent.name, path, fields["Expect"].strip(), fields.get("Check", "").strip() or None,
                          methods))
    return cases


def docstring(path: Path) -> str:
    """The module docstring of the submission at ``path``, even when the rest does not parse (a
    case may show a syntax error)."""
    text = path.read_text(encoding="utf-8")
    try:
        return ast.get_docstring(ast.parse(text)) or ""
    except SyntaxError:
        found = re.match(r'\s*(?:"""(.*?)"""|\'\'\'(.*?)\'\'\')', text, re.DOTALL)
        return (found.group(1) or found.group(2) or "").strip() if found else ""


def oldest_python(path: Path) -> tuple[int, int] | None:
    """The oldest Python the submission at ``path`` runs on (its ``Python: 3.11`` line), or None: every one."""
    doc = docstring(path)
    found = re.search(r"^Python:\s*(\d+)\.(\d+)", doc, re.MULTILINE)
    return (int(found.group(1)), int(found.group(2))) if found else None


def why_not_here(path: Path) -> str | None:
    """Why the submission at ``path`` cannot be graded on this Python (None: it can)."""
    oldest = oldest_python(path)
    if oldest is not None and sys.version_info[:2] < oldest:
        return f"it needs Python {oldest[0]}.{oldest[1]} or newer"
    return None


def load_variants(folder: Path = CORRECT) -> list[Path]:
    """Every correct variant under ``folder`` (``<module>/<how it differs>.py``), by exercise and name."""
    return sorted(folder.glob("ex*/*.py"))


def variant_id(path: Path) -> str:
    """``ex09/process_subclass``: the exercise and how the variant differs."""
    return f"{path.parent.name.split('_')[0]}/{path.stem}"


def misgraded(case: Case, result: ExerciseResult) -> str | None:
    """What is wrong with ``result`` as the grade of ``case`` (None when it is the grade the case expects)."""
    if result.status != FAILED:
        return f"graded {result.status}, expected failed with {case.expect}"
    first = result.first_failure
    assert first is not None  # a failed exercise has a failed check
    if first.key != case.expect:
        return f"failed with {first.key} (check {first.check}), expected {case.expect}"
    if case.check and first.check != case.check:
        return f"failed {first.check} with {first.key}, expected check {case.check}"
    if not (first.message("en") and first.message("zh")):
        return f"the message of {first.key} is empty in a language"
    return None
