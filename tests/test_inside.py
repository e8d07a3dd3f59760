"""What runs inside the learner's processes imports little: no pytest, no psutil, nothing of the grading side."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

HEAVY = ("pytest", "psutil", "grader.grading", "grader.checks")


@pytest.mark.parametrize("module", ["grader.inside.program", "grader.inside.probes", "grader.inside.tasks",
                                    "grader.inside.observe"])
def test_a_module_that_children_import_loads_nothing_heavy(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stderr
