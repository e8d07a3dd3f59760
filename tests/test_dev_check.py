"""``python -m grader.dev check`` passes on the kit and names what is wrong when the kit disagrees with itself.

Each disagreement is made in a copy of the kit (in ``tmp_path``), which the check reads with its
own grader package, in an interpreter of its own: the real kit is never touched.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import KIT_ROOT, catalogue
from grader.dev import check as dev_check
from grader.dev import keys
from grader.dev.casebook import load_cases

from .conftest import EXERCISES

EX01 = catalogue.find("ex01")


def test_the_kit_agrees_with_itself(capsys: pytest.CaptureFixture[str]) -> None:
    code = dev_check.main([])
    out = capsys.readouterr().out
    assert code == dev_check.EXIT_CONSISTENT, out
    assert out.startswith("dev check: the kit agrees with itself") and out.count("\n") == 1, out


def test_each_test_named_as_covering_a_key_exists() -> None:
    for key, test in keys.COVERED_ELSEWHERE.items():
        assert keys._test_exists(KIT_ROOT, test), f"{key}: {test}"


def kit_copy(tmp_path: Path) -> Path:
    root = tmp_path / "kit"
    shutil.copytree(KIT_ROOT, root, ignore=shutil.ignore_patterns("__pycache__", ".git", ".nox", "*.pyc", "results.json"))
    # The stubs as shipped, not a learner's work in ./exercises (the copy is no git checkout).
    shutil.rmtree(root / "exercises")
    shutil.copytree(EXERCISES, root / "exercises")
    return root


def checked(root: Path) -> tuple[int, str]:
    """The exit status and output of ``python -m grader.dev check ROOT``, run from outside it."""
    done = subprocess.run([sys.executable, "-m", "grader.dev", "check", str(root)], cwd=KIT_ROOT,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def untouched(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What the check says of an unchanged copy: a problem the tests make must be new to it."""
    return checked(kit_copy(tmp_path_factory.mktemp("untouched")))[1]


def assert_found(root: Path, untouched: str, *expected: str) -> str:
    code, out = checked(root)
    assert code == dev_check.EXIT_PROBLEMS, out
    for text in expected:
        assert text in out, out
        assert text not in untouched, untouched
    assert "fix:" in out.split(expected[0], 1)[1].split("\n", 2)[1], out  # the fix follows the problem
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_removed_case_is_a_mistake_without_a_case(tmp_path: Path, untouched: str) -> None:
    cases = load_cases(["fork"])
    only = next(c for c in cases if sum(other.expect == c.expect for other in cases) == 1)
    root = kit_copy(tmp_path)
    (root / only.path.relative_to(KIT_ROOT)).unlink()
    assert_found(root, untouched, f"mistake {only.expect!r} has no case", f"Expect: {only.expect}")


def test_a_removed_key_is_raised_but_not_defined(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    module = root / "grader" / "checks" / EX01.filename
    key = "returned_thread"
    lines = module.read_text(encoding="utf-8").splitlines(keepends=True)
    table = next(n for n in ast.parse("".join(lines)).body if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", "") == "MESSAGES")
    values = table.value if isinstance(table.value, ast.Dict) else table.value.args[-1]  # a display, or define(..., {})
    entry = next((k, v) for k, v in zip(values.keys, values.values, strict=True)
                 if isinstance(k, ast.Constant) and k.value == key)
    del lines[entry[0].lineno - 1:entry[1].end_lineno]
    module.write_text("".join(lines), encoding="utf-8")
    assert_found(root, untouched, f"key {key!r} is raised here but defined in none of")


def test_an_empty_hint_is_named_with_its_exercise_and_language(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    zh = EX01.hint(0, "zh")
    edit(root / "grader" / "catalogue.py", f'"{zh}"', '""')
    assert_found(root, untouched, f"the hint 1 of {EX01.module} is empty in zh")


def test_an_exercise_without_hints_is_named(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    path = root / "grader" / "catalogue.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    entry = next(n for n in ast.walk(ast.parse("".join(lines))) if isinstance(n, ast.Call)
                 and n.args and isinstance(n.args[0], ast.Constant) and n.args[0].value == EX01.module)
    hints = entry.args[4] if len(entry.args) > 4 else next(k.value for k in entry.keywords if k.arg == "hints")
    lines[hints.lineno - 1:hints.end_lineno] = ["        (),\n"]
    path.write_text("".join(lines), encoding="utf-8")
    assert_found(root, untouched, f"{EX01.module} has no hint")


def committed(root: Path) -> Path:
    """``root`` made a git checkout with everything in it committed, as a maintainer's kit is."""
    environ = {"GIT_AUTHOR_NAME": "kit", "GIT_AUTHOR_EMAIL": "kit@example.org", "GIT_COMMITTER_NAME": "kit",
               "GIT_COMMITTER_EMAIL": "kit@example.org", "PATH": os.environ.get("PATH", ""), "HOME": str(root)}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "kit"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=environ, capture_output=True, timeout=120)
    return root


def test_a_committed_stub_body_that_does_something_is_not_a_stub(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    edit(root / "exercises" / EX01.filename, "    raise NotImplementedError", "    return None")
    assert_found(committed(root), untouched, "is not exactly `raise NotImplementedError`")


def test_outside_git_written_bodies_are_a_learners_work_whose_shape_is_still_checked(tmp_path: Path) -> None:
    """Outside git nothing tells a learner's solved exercise from a broken stub: the bodies are let be and
    said so, and the rest of the file is still held to the solution."""
    root = kit_copy(tmp_path)
    shutil.copyfile(root / "solutions" / EX01.filename, root / "exercises" / EX01.filename)
    code, out = checked(root)
    assert code == dev_check.EXIT_CONSISTENT, out
    assert "outside git, 1 stub file(s) hold written bodies" in out, out
    edit(root / "exercises" / EX01.filename, "import multiprocessing", "import multiprocessing\nimport os")
    code, out = checked(root)
    assert code == dev_check.EXIT_PROBLEMS and "statement `import os`" in out, out


def test_a_stub_docstring_unlike_the_solutions_is_named(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    stub = root / "exercises" / EX01.filename
    function = next(n for n in ast.parse(stub.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef))
    docstring = ast.get_docstring(function, clean=False)
    assert docstring
    edit(stub, docstring, docstring.replace(docstring.strip()[:6], "Maybe " + docstring.strip()[:6], 1))
    assert_found(root, untouched, f"function {function.name} differs from the solution's")


def test_a_stray_file_in_the_exercises_is_named(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    (root / "exercises" / "ex12_threads.py").write_text("def work():\n    raise NotImplementedError\n")
    (root / "solutions" / "notes.txt").write_text("what I tried\n")
    assert_found(root, untouched, "ex12_threads.py in exercises/ is no exercise of the catalogue",
                 "notes.txt in solutions/ is no exercise of the catalogue")


def test_a_case_expecting_an_unknown_key_is_named(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    case = load_cases(["fork"])[0]
    edit(root / case.path.relative_to(KIT_ROOT), f"Expect: {case.expect}", "Expect: no_such_mistake")
    assert_found(root, untouched, f"case {case.id} expects 'no_such_mistake'")


def test_a_case_naming_an_unknown_check_is_named(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    case = next(c for c in load_cases(["fork"]) if c.check)
    edit(root / case.path.relative_to(KIT_ROOT), f"Check: {case.check}", "Check: test_no_such_check")
    assert_found(root, untouched, f"case {case.id} names the check 'test_no_such_check'")


def test_a_requirement_written_twice_must_agree(tmp_path: Path, untouched: str) -> None:
    root = kit_copy(tmp_path)
    edit(root / "ci" / "github-classroom.yml", '"psutil>=5.9"', '"psutil>=6"')
    assert_found(root, untouched, "psutil>=6 is installed here, pyproject.toml says psutil>=5.9")
