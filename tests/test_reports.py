"""Every report CI reads (Gradescope results.json, version-3 results, JUnit XML) is right, names the seed,
adds up as the console does, and is written whatever the submission does; the ready-made set-ups
(the Gradescope bundle, the GitHub Actions workflow) grade as they should."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from grader import catalogue
from grader.reports import version3
from grader.results import CheckResult, ExerciseResult, GradeRun
from grader.teacher import gradescope

from .conftest import CASES, ROOT, SOLUTIONS

HOSTILE = Path(__file__).parent / "hostile"
MODULE = "ex01_create_process"
FILE = f"{MODULE}.py"
SEED = 31337

# Kills the grader's command line once (not the orphaned worker's next parent, which may be pytest).
KILLS_ITS_GRADER = '''
import multiprocessing, os, signal

def make_process(target, name):
    flag = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".killed")
    if not os.path.exists(flag):
        open(flag, "w").close()
        os.kill(os.getppid(), signal.SIGKILL)
    return multiprocessing.Process(target=target, name=name)
'''


def grade(folder: Path, out: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], dict, dict, ET.Element]:
    """Grade ``folder`` with every report asked for; return the run and the three reports."""
    done = subprocess.run(
        [sys.executable, "-m", "grader", str(folder), "--seed", str(SEED), "--lang", "en",
         "--json", str(out / "results.json"), "--classroom", str(out / "classroom.json"),
         "--junit", str(out / "junit.xml"), *options],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    gradescope_report = json.loads((out / "results.json").read_text(encoding="utf-8"))
    v3 = json.loads((out / "classroom.json").read_text(encoding="utf-8"))
    junit = ET.parse(out / "junit.xml").getroot()
    return done, gradescope_report, v3, junit


def console_total(stdout: str) -> tuple[int, int]:
    found = re.search(r"^Total (\d+)/(\d+) points", stdout, re.MULTILINE)
    assert found, stdout
    return int(found.group(1)), int(found.group(2))


def folder_with(tmp_path: Path, source: Path | str, module: str = MODULE) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    target = folder / f"{module}.py"
    if isinstance(source, Path):
        shutil.copyfile(source, target)
    else:
        target.write_text(source, encoding="utf-8")
    return folder


def assert_gradescope_shape(report: dict) -> None:
    assert isinstance(report["execution_time"], (int, float)) and report["execution_time"] >= 0
    assert report["score"] == sum(t["score"] for t in report["tests"])
    assert report["max_score"] == sum(t["max_score"] for t in report["tests"])
    for test in report["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}, test
        assert test["status"] in ("passed", "failed")
        assert test["score"] == (test["max_score"] if test["status"] == "passed" else 0)
        assert test["visibility"] == "visible"
        assert test["name"].split(": ", 1)[0] in {e.module for e in catalogue.EXERCISES}
        assert test["status"] == "passed" or test["output"], test  # a failure always says why


def assert_v3_shape(v3: dict) -> None:
    assert v3["version"] == 3
    assert v3["status"] in ("pass", "fail", "error")
    assert (v3["message"] is None) == (v3["status"] != "error")
    assert v3["score"] == sum(t["score"] for t in v3["tests"])
    for test in v3["tests"]:
        assert set(test) >= {"name", "status", "message", "test_code", "task_id", "score", "output"}, test
        assert test["status"] in ("pass", "fail", "error")
        assert (test["message"] is None) == (test["status"] == "pass")
        assert isinstance(test["task_id"], int) and test["task_id"] >= 1
        assert len(test["output"]) <= version3.V3_OUTPUT_LIMIT


def test_every_report_adds_up_as_the_console_says_and_names_the_seed(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, CASES / MODULE / "forgets_the_name.py")
    done, report, v3, junit = grade(folder, tmp_path, "--only", "ex01", "--only", "ex03")
    assert done.returncode == 1, done.stdout + done.stderr
    score, max_score = console_total(done.stdout)
    assert 0 < score < max_score

    assert_gradescope_shape(report)
    assert (report["score"], report["max_score"]) == (score, max_score)
    assert f"seed {SEED}" in report["output"]

    assert_v3_shape(v3)
    assert v3["status"] == "fail"
    assert (v3["score"], v3["max_score"]) == (score, max_score)
    assert [t["name"] for t in v3["tests"]] == [t["name"] for t in report["tests"]]
    assert {t["task_id"] for t in v3["tests"]} == {1, 3}
    assert all(f"--seed {SEED}" in t["test_code"] for t in v3["tests"])
    missing = [t for t in v3["tests"] if t["task_id"] == 3]
    assert missing and all(t["status"] == "fail" and "ex03_multitasking.py" in t["message"] for t in missing)

    suites = junit.findall("testsuite")
    assert [s.get("name") for s in suites] == [MODULE, "ex03_multitasking"]
    for suite in suites:
        assert suite[0].tag == "properties", "the JUnit schema puts <properties> first in each <testsuite>"
        props = {p.get("name"): p.get("value") for p in suite[0]}
        assert props["seed"] == str(SEED) and props["start_method"]
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(junit.get("tests")) == len(report["tests"])
    assert int(junit.get("failures")) == sum(1 for t in report["tests"] if t["status"] == "failed")


def test_a_passing_run_is_pass_everywhere(tmp_path: Path) -> None:
    done, report, v3, junit = grade(SOLUTIONS, tmp_path, "--only", "ex01")
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["score"] == report["max_score"] == console_total(done.stdout)[0]
    assert v3["status"] == "pass" and v3["message"] is None and v3["score"] == v3["max_score"]
    assert junit.get("failures") == "0"


@pytest.mark.parametrize("hostile, key", [("kills_its_interpreter", "grading_process_died"),
                                          ("hangs_in_call", "timeout")])
def test_the_reports_are_whole_when_a_submission_dies_or_hangs(hostile: str, key: str, tmp_path: Path) -> None:
    folder = folder_with(tmp_path, HOSTILE / f"{hostile}.py")
    done, report, v3, junit = grade(folder, tmp_path, "--only", "ex01", "--timeout", "1")
    assert done.returncode == 1, done.stdout + done.stderr
    checks = len(v3["tests"])
    assert checks == len(report["tests"]) == len(junit.findall("testsuite/testcase")) == 3
    assert all(t["status"] == "failed" for t in report["tests"])
    assert_gradescope_shape(report)
    assert_v3_shape(v3)
    assert report["score"] == v3["score"] == 0


def test_a_grader_killed_midway_still_leaves_every_report(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, KILLS_ITS_GRADER)
    shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", folder / "ex03_multitasking.py")
    done, report, v3, junit = grade(folder, tmp_path, "--only", "ex01", "--only", "ex03")
    assert done.returncode == -9, done.stdout + done.stderr
    assert_gradescope_shape(report)
    assert_v3_shape(v3)
    assert v3["status"] == "error" and "Not graded" in v3["message"]
    assert {t["task_id"] for t in v3["tests"]} == {1, 3}
    assert all(t["status"] == "failed" and t["output"].startswith("Not graded") for t in report["tests"])
    assert len(junit.findall("testsuite")) == 2


def _run(statuses: list[tuple[bool, str | None]]) -> GradeRun:
    exercise = catalogue.find("ex01")
    checks = [CheckResult(f"test_{i}", {"en": f"check {i}", "zh": f"检查 {i}"}, 1, passed,
                          None if passed else {"key": key, "values": {}, "en": f"why {i}", "zh": f"原因 {i}"})
              for i, (passed, key) in enumerate(statuses)]
    return GradeRun("submission", "spawn", 7, [ExerciseResult(exercise, checks)], 1.0)


@pytest.mark.parametrize("statuses, overall", [
    ([(True, None), (True, None)], "pass"),
    ([(True, None), (False, "wrong_name")], "fail"),
    ([(False, "import_failed"), (False, "not_checked")], "error"),
    ([(False, "grading_process_died"), (False, "wrong_name")], "fail"),
])
def test_version3_status_is_error_only_when_nothing_could_run(statuses: list, overall: str) -> None:
    v3 = version3.version3(_run(statuses), "zh")
    assert_v3_shape(v3)
    assert v3["status"] == overall
    if overall == "error":
        assert v3["message"] == "原因 0"


def test_version3_output_is_cut_to_500_characters() -> None:
    run = _run([(True, None)])
    run.exercises[0].checks[0].notes = [{"key": "n", "values": {}, "en": "x" * 2000, "zh": "x" * 2000}]
    assert len(version3.version3(run, "en")["tests"][0]["output"]) == version3.V3_OUTPUT_LIMIT


# --- the Gradescope bundle -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gradescope.build_bundle(tmp_path_factory.mktemp("bundle") / "autograder.zip")


def fake_autograder(root: Path, bundle: Path, submission: dict[str, Path]) -> Path:
    """A /autograder tree as Gradescope lays it out: the bundle in source/, the upload in submission/."""
    with zipfile.ZipFile(bundle) as zipped:
        zipped.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        os.chmod(root / "source" / name, 0o755)
    (root / "submission").mkdir(parents=True)
    for relative, source in submission.items():
        (root / "submission" / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / "submission" / relative)
    return root


def run_autograder(root: Path, **settings: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable, **settings}
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, cwd=tmp_cwd(root),
                          capture_output=True, text=True, timeout=600)
    return done, json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def tmp_cwd(root: Path) -> Path:
    folder = root / "cwd"
    folder.mkdir(exist_ok=True)
    return folder


def test_the_bundle_holds_what_gradescope_runs(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as zipped:
        names = set(zipped.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in zipped.infolist()}
        requirements = zipped.read("requirements.txt").decode().split()
    assert {"setup.sh", "run_autograder", "requirements.txt", "grader/__main__.py", "grader/teacher/gradescope.py",
            "grader/checks/pytest.ini", f"grader/checks/{FILE}"} <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert requirements == list(gradescope.REQUIREMENTS)


def test_the_bundle_needs_what_the_kit_needs() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert list(gradescope.REQUIREMENTS) == project["project"]["dependencies"]


@pytest.mark.parametrize("source, expected", [
    (SOLUTIONS / FILE, "all"),
    (CASES / MODULE / "forgets_the_name.py", "some"),
])
def test_run_autograder_grades_a_submission_into_results_json(source: Path, expected: str, bundle: Path,
                                                              tmp_path: Path) -> None:
    # Learners upload as they like: here the module sits in a subfolder, next to a stray file.
    root = fake_autograder(tmp_path / "autograder", bundle,
                           {f"my-work/{FILE}": source, "my-work/notes.txt": ROOT / "pyproject.toml"})
    done, report = run_autograder(root, GRADER_ONLY="ex01", GRADER_SEED=str(SEED), GRADER_LANG="en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert_gradescope_shape(report)
    assert report["max_score"] == 4 and len(report["tests"]) == 3
    assert (report["score"] == 4) == (expected == "all") and report["score"] > 0
    assert f"seed {SEED}" in report["output"] and "my-work" in report["output"]
    assert "Total" in done.stdout  # the scoreboard, for the instructor's view of the run
    assert sorted(p.name for p in (root / "submission" / "my-work").iterdir()) == [FILE, "notes.txt"]


def test_run_autograder_reports_a_bad_setting_instead_of_crashing(bundle: Path, tmp_path: Path) -> None:
    root = fake_autograder(tmp_path / "autograder", bundle, {FILE: SOLUTIONS / FILE})
    done, report = run_autograder(root, GRADER_ONLY="ex99")
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["score"] == 0 and "GRADER_ONLY" in report["output"]


def test_run_autograder_reports_an_empty_submission(bundle: Path, tmp_path: Path) -> None:
    root = fake_autograder(tmp_path / "autograder", bundle, {})
    done, report = run_autograder(root, GRADER_ONLY="ex01", GRADER_LANG="en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["score"] == 0 and report["max_score"] == 4
    assert "no exNN_*.py module found" in report["output"]


# --- the GitHub Actions workflow ---------------------------------------------------------------------

WORKFLOW = ROOT / "ci" / "github-classroom.yml"


def workflow() -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_workflow_reports_to_github_classroom() -> None:
    flow = workflow()
    assert set(flow["on"]) >= {"push", "workflow_dispatch", "repository_dispatch"}
    job = flow["jobs"]["run-autograding-tests"]
    assert job["name"] == "Autograding Tests"  # the check run the reporter looks for
    steps = {step.get("id") or step.get("name"): step for step in job["steps"]}
    reporter = next(s for s in job["steps"] if "autograding-grading-reporter" in s.get("uses", ""))
    assert reporter["with"]["runners"] == "grade"
    assert reporter["env"]["GRADE_RESULTS"] == "${{ steps.grade.outputs.result }}"
    install = next(s for s in job["steps"] if s.get("name") == "Install the grader's requirements")
    assert all(f'"{r}"' in install["run"] for r in gradescope.REQUIREMENTS)
    assert "grade" in steps


def test_the_workflow_grading_step_runs_here(tmp_path: Path) -> None:
    """Run the workflow's grading script as Actions would, on a learner's repository made here."""
    job = workflow()["jobs"]["run-autograding-tests"]
    step = next(s for s in job["steps"] if s.get("id") == "grade")
    repo = tmp_path / "learner"
    (repo / "exercises").mkdir(parents=True)
    shutil.copyfile(SOLUTIONS / FILE, repo / "exercises" / FILE)
    output = tmp_path / "github_output"
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "GRADER_KIT": str(ROOT),
           "GRADER_OPTIONS": f"--only ex01 --seed {SEED}"}
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    encoded = dict(line.split("=", 1) for line in output.read_text().splitlines())["result"]
    results = json.loads(base64.b64decode(encoded))
    assert_v3_shape(results)
    # What the reporter does with it: the points are the tests' scores out of max_score.
    assert results["status"] == "pass"
    assert sum(t["score"] for t in results["tests"]) == results["max_score"] == 4
    assert (repo / "results.json").exists() and (repo / "junit.xml").exists()
