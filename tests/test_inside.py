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


# What every child that runs a probe or one of the grader's tasks imports: each costs a spawn or forkserver
# child milliseconds at every start (dataclasses brings inspect, ast and dis; pathlib brings urllib).
SLOW_TO_IMPORT = ("dataclasses", "inspect", "pathlib")


def test_what_a_probes_child_imports_is_quick_to_import() -> None:
    code = ("import sys, grader.inside.witnessed, grader.inside.probes, grader.inside.tasks;"
            f" print(sorted(m for m in sys.modules if m in {SLOW_TO_IMPORT!r}))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stderr


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork server")
def test_a_fork_server_child_finds_the_probes_loaded() -> None:
    # The child's exit code says whether the witnessed probe's module was there before it ran anything of ours.
    code = """if True:
        import multiprocessing
        from grader.grading import worker
        worker.use_start_method("forkserver")
        check = "import sys; sys.exit(0 if 'grader.inside.witnessed' in sys.modules else 3)"
        child = multiprocessing.Process(target=exec, args=(check,))
        child.start()
        child.join()
        print(child.exitcode)
    """
    ran = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    assert ran.stdout.strip() == "0", ran.stderr
