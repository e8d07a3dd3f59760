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
from grader.grading import runner
from grader.reports import classroom, version3
from grader.results import CheckResult, ExerciseResult, GradeRun
from grader.teacher import gradescope

from .conftest import CASES, ROOT, SOLUTIONS

HOSTILE = Path(__file__).parent / "hostile"
MODULE = "ex01_create_process"
FILE = f"{MODULE}.py"
SEED = 31337

# Kills the grader's command line once (not the orphaned worker's next parent, which may be pytest).
# By the kill command: os.kill on its grader is refused and reported as tampering.
# The grader is the topmost process of the grading's command line: the learner's code runs in a fork
# of it (the worker, or the learner host the worker forked), never in the grader itself.
KILLS_ITS_GRADER = '''
import multiprocessing, os, subprocess

def _grader():
    def cmdline(pid):
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    pid, mine = os.getpid(), cmdline("self")
    while True:
        with open(f"/proc/{pid}/stat") as f:
            parent = int(f.read().rsplit(")", 1)[1].split()[1])
        if cmdline(parent) != mine:
            return pid
        pid = parent

def make_process(target, name):
    flag = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".killed")
    if not os.path.exists(flag):
        open(flag, "w").close()
        subprocess.run(["kill", "-KILL", str(_grader())])
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
        assert set(test) >= {"name", "status", "message", "test_code", "task_id", "score", "output", "line_no"}, test
        assert test["status"] in ("pass", "fail", "error")
        assert (test["message"] is None) == (test["status"] == "pass")
        assert isinstance(test["task_id"], int) and test["task_id"] >= 1
        assert len(test["output"]) <= version3.OUTPUT_LIMIT
        assert test["message"] is None or len(test["message"]) <= version3.MESSAGE_LIMIT
        module, check = test["test_code"].splitlines()[0].split("::")
        source = (ROOT / module).read_text(encoding="utf-8").splitlines()
        assert source[test["line_no"] - 1].startswith(f"def {check}("), (test["line_no"], check)
    assert v3["message"] is None or len(v3["message"]) <= version3.MESSAGE_LIMIT


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
        assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    assert int(junit.get("tests")) == len(report["tests"])
    assert int(junit.get("failures")) + int(junit.get("errors")) == sum(
        1 for t in report["tests"] if t["status"] == "failed")
    # The same checks are errors in both: ex03's module is missing, a failure; none ran into an error.
    errors = [c.get("name") for c in junit.iter("testcase") if c.find("error") is not None]
    assert errors == [t["name"].split(": ", 1)[1] for t in v3["tests"] if t["status"] == "error"]


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
    names = [check.name for check in runner.checks_of(exercise)]
    checks = [CheckResult(names[i], {"en": f"check {i}", "zh": f"检查 {i}"}, 1, passed,
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


def test_version3_output_is_what_the_learner_printed_cut_to_500_characters_as_the_spec_says() -> None:
    run = _run([(True, None), (False, "wrong_count")])
    run.exercises[0].checks[0].notes = [{"key": "n", "values": {}, "en": "the grader's note", "zh": "评分说明"}]
    run.exercises[0].checks[1].failure["values"] = {"printed": "唱歌。。。\n" * 200}
    tests = version3.version3(run, "en")["tests"]
    assert tests[0]["output"] == ""  # the grader's notes are not the learner's output
    assert len(tests[1]["output"]) == version3.OUTPUT_LIMIT
    assert tests[1]["output"].startswith("唱歌。。。\n唱歌")
    assert tests[1]["output"].endswith("\nOutput was truncated. Please limit to 500 chars")


# --- what the consumers of the reports accept --------------------------------------------------------

# A learner's exception message holding what XML 1.0 cannot carry, and a path of the grading machine.
RAISES_AT_IMPORT = """
import os
raise RuntimeError("colour \\x1b[31mred\\x1b[0m, a NUL \\x00, a form feed \\x0c" + {padding!r} * {times} + os.path.abspath(__file__))
"""


def raising_submission(tmp_path: Path, modules: list[str], padding: str = "", times: int = 0) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    for module in modules:
        (folder / f"{module}.py").write_text(RAISES_AT_IMPORT.format(padding=padding, times=times), encoding="utf-8")
    return folder


def test_junit_carries_control_characters_visibly_and_import_errors_as_errors(tmp_path: Path) -> None:
    folder = raising_submission(tmp_path, [MODULE])
    shutil.copyfile(CASES / "ex03_multitasking" / "sing_prints_once.py", folder / "ex03_multitasking.py")
    done, report, v3, junit = grade(folder, tmp_path, "--only", "ex01", "--only", "ex03")
    assert done.returncode == 1, done.stdout + done.stderr
    text = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x00" not in text and "\x0c" not in text
    assert "colour ␛[31mred␛[0m, a NUL ␀, a form feed ␌" in text

    errors = {c.get("name") for c in junit.iter("testcase") if c.find("error") is not None}
    failures = {c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None}
    v3_errors = {t["name"].split(": ", 1)[1] for t in v3["tests"] if t["status"] == "error"}
    v3_failures = {t["name"].split(": ", 1)[1] for t in v3["tests"] if t["status"] == "fail"}
    assert errors == v3_errors and len(errors) == 3  # every check of ex01: its module does not import
    assert failures == v3_failures
    assert all(c.find("error").get("type") == "import_failed" for c in junit.iter("testcase") if c.get("name") in errors)

    junitparser = pytest.importorskip("junitparser", reason="pip install junitparser (a test dependency)")
    xml = junitparser.JUnitXml.fromfile(str(tmp_path / "junit.xml"))
    cases = [case for suite in xml for case in suite]
    assert len(cases) == len(report["tests"])
    kinds = {case.name: type(case.result[0]).__name__ for case in cases if case.result}
    assert {name for name, kind in kinds.items() if kind == "Error"} == errors
    assert "␛[31mred" in next(case for case in cases if case.name in errors).result[0].text

    xmllint = shutil.which("xmllint")
    if xmllint is None:
        pytest.skip("xmllint is not installed (apt-get install -y libxml2-utils): the file was only read by "
                    "ElementTree and junitparser")
    checked = subprocess.run([xmllint, "--noout", str(tmp_path / "junit.xml")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_messages_name_no_path_of_the_grading_machine(tmp_path: Path) -> None:
    folder = raising_submission(tmp_path, [MODULE])
    done, report, v3, junit = grade(folder, tmp_path, "--only", "ex01")
    assert done.returncode == 1, done.stdout + done.stderr
    texts = [t["message"] for t in v3["tests"]] + [v3["message"]] + [t["output"] for t in report["tests"]]
    texts += [e.text or "" for e in junit.iter("error")] + [t["test_code"] for t in v3["tests"]]
    assert all(text for text in texts[:4])
    for text in texts:
        for absolute in {str(tmp_path), str(tmp_path.resolve()), str(ROOT), os.path.expanduser("~")}:
            assert absolute not in text, text
    # The learner's own file is named as it is in their submission.
    assert f'File "{MODULE}.py", line 3' in v3["message"] and MODULE + ".py" in v3["message"]


def test_classroom_json_stays_well_under_96_kb_whatever_the_learner_raises(tmp_path: Path) -> None:
    modules = [e.module for e in catalogue.EXERCISES[:5]]
    folder = raising_submission(tmp_path, modules, padding="异常", times=150_000)  # a 300 kB message each
    only = [arg for e in catalogue.EXERCISES[:5] for arg in ("--only", e.id)]
    done, report, v3, junit = grade(folder, tmp_path, *only)
    assert done.returncode == 1, done.stdout + done.stderr
    size = (tmp_path / "classroom.json").stat().st_size
    assert size <= version3.FILE_BUDGET < 96 * 1024, size
    assert_v3_shape(v3)
    assert v3["status"] == "error" and len(v3["tests"]) == len(report["tests"])
    for test in v3["tests"]:
        assert test["message"].startswith("Importing ") and "RuntimeError" in test["message"]
        assert test["message"].endswith("the console and results.json show more of it)")
    # What was cut is the learner's padding, not the start of the message that says what happened.
    assert "colour ␛" not in v3["message"] and "colour \x1b[31mred" in v3["message"]


def test_results_json_keeps_a_message_of_megabytes_to_its_start_and_end(tmp_path: Path) -> None:
    folder = raising_submission(tmp_path, [catalogue.EXERCISES[0].module], padding="异常", times=2_000_000)
    done, report, v3, junit = grade(folder, tmp_path, "--only", catalogue.EXERCISES[0].id)
    assert done.returncode == 1, done.stdout + done.stderr
    size = (tmp_path / "results.json").stat().st_size
    assert size < 500 * 1024, size  # 4 MB of message in each of its checks, uncut
    message = report["tests"][0]["output"]
    assert "RuntimeError" in message and "characters left out" in message


def test_version3_cuts_the_longest_messages_to_fit_and_says_so() -> None:
    run = _run([(False, "wrong_name"), (False, "wrong_name"), (True, None)])
    run.exercises[0].checks[0].failure["en"] = "short"
    run.exercises[0].checks[1].failure["en"] = "x" * 500_000
    report = version3.version3(run, "en", budget=20_000)
    assert version3.size(report) <= 20_000
    first, second, _ = report["tests"]
    assert first["message"] == "short"
    assert second["message"].startswith("xxx") and "more characters cut" in second["message"]
    assert len(version3.version3(run, "en")["tests"][1]["message"]) <= version3.MESSAGE_LIMIT


def reporter_folder() -> Path:
    """A copy of classroom-resources/autograding-grading-reporter@v1 (its dist/main.js), and node to run it."""
    folder = os.environ.get("MP_KIT_CLASSROOM_REPORTER")
    if not folder or not (Path(folder) / "dist" / "main.js").is_file():
        pytest.skip("GitHub Classroom's reporter is not here: set MP_KIT_CLASSROOM_REPORTER to a copy of "
                    "classroom-resources/autograding-grading-reporter@v1 (the folder holding dist/main.js)")
    if shutil.which("node") is None:
        pytest.skip("node is not installed: GitHub Classroom's reporter is a node program")
    return Path(folder)


def run_reporter(env_file: Path, runners: str) -> str:
    """Run the reporter as the workflow's step does: its input, and the variables the grading step set."""
    variables = dict(line.split("=", 1) for line in env_file.read_text(encoding="utf-8").splitlines())
    env = {"PATH": os.environ["PATH"], "INPUT_RUNNERS": runners, **variables}
    done = subprocess.run(["node", str(reporter_folder() / "dist" / "main.js")], env=env, capture_output=True,
                          text=True, timeout=60)
    return done.stdout + done.stderr


def reporter_totals(log: str) -> tuple[str, str, str]:
    """What the reporter's log says: the points it notifies, the score in its table, and its maximum."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", log)
    notified = re.search(r"::notice title=Autograding complete::Points (\S+)", plain)
    table = re.search(r"Total:\s*│\s*(\S+)\s*│\s*(\S+)", plain)
    assert notified and table, plain
    return notified.group(1), table.group(1), table.group(2)


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


def test_the_workflow_is_laid_out_as_classrooms_own() -> None:
    flow = workflow()
    assert flow["name"] == "Autograding Tests"
    assert set(flow["on"]) >= {"push", "workflow_dispatch", "repository_dispatch"}
    job = flow["jobs"]["run-autograding-tests"]  # the job Classroom reads the points from
    assert "name" not in job  # Classroom's own template leaves the job named by its id
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    majors = {action: int(ref.lstrip("v")) for action, ref in (u.split("@") for u in uses)}
    # The first majors whose action.yml declares node24 (checked in each repository at its tag).
    assert majors["actions/checkout"] >= 7 and majors["actions/setup-python"] >= 7
    assert majors["actions/upload-artifact"] >= 7
    # The reporter's only release (v1) declares node20: the workflow makes the runner use Node 24.
    assert majors["classroom-resources/autograding-grading-reporter"] == 1
    assert flow["env"]["FORCE_JAVASCRIPT_ACTIONS_TO_NODE24"] is True
    reporter = next(s for s in job["steps"] if "autograding-grading-reporter" in s.get("uses", ""))
    assert reporter["with"]["runners"] == "${{ steps.grade.outputs.runners }}"
    install = next(s for s in job["steps"] if s.get("name") == "Install the grader's requirements")
    assert all(f'"{r}"' in install["run"] for r in gradescope.REQUIREMENTS)


def run_grading_step(tmp_path: Path, sources: dict[str, Path], options: str) -> tuple[Path, str, Path]:
    """Run the workflow's grading script as Actions would, on a learner's repository made here.

    Return the repository, the runners it named for the reporter and the file of variables it set.
    """
    job = workflow()["jobs"]["run-autograding-tests"]
    step = next(s for s in job["steps"] if s.get("id") == "grade")
    repo = tmp_path / "learner"
    (repo / "exercises").mkdir(parents=True)
    for name, source in sources.items():
        shutil.copyfile(source, repo / "exercises" / name)
    output, env_file = tmp_path / "github_output", tmp_path / "github_env"
    # The step's `python` is the one setup-python put first on PATH: here, the one running the tests.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "GITHUB_OUTPUT": str(output), "GITHUB_ENV": str(env_file),
           "GRADER_KIT": str(ROOT), "GRADER_OPTIONS": options}
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    runners = dict(line.split("=", 1) for line in output.read_text().splitlines())["runners"]
    return repo, runners, env_file


def test_the_workflow_grading_step_hands_the_reporter_runners_that_add_up(tmp_path: Path) -> None:
    repo, runners, env_file = run_grading_step(
        tmp_path, {FILE: CASES / MODULE / "forgets_the_name.py", "ex03_multitasking.py": SOLUTIONS / "ex03_multitasking.py"},
        f"--only ex01 --only ex03 --seed {SEED}")
    whole = json.loads((repo / "classroom.json").read_text(encoding="utf-8"))
    variables = dict(line.split("=", 1) for line in env_file.read_text(encoding="utf-8").splitlines())
    assert sorted(variables) == sorted(f"{name.upper()}_RESULTS" for name in runners.split(","))
    parts = [json.loads(base64.b64decode(variables[f"{name.upper()}_RESULTS"])) for name in runners.split(",")]
    for part in parts:
        assert_v3_shape(part)
        assert len({t["max_score"] for t in part["tests"]}) == 1  # so passed/total x max is the sum
    assert sorted(t["name"] for p in parts for t in p["tests"]) == sorted(t["name"] for t in whole["tests"])
    assert sum(p["score"] for p in parts) == whole["score"] and 0 < whole["score"] < whole["max_score"]
    assert sum(p["max_score"] for p in parts) == whole["max_score"]
    assert (repo / "results.json").exists() and (repo / "junit.xml").exists()


@pytest.mark.parametrize("count, points", [(19, 1), (26, 2), (14, 3), (40, 2)])
def test_a_runner_is_split_where_the_reporters_quotient_would_not_be_exact(count: int, points: int) -> None:
    tests = [{"name": str(i), "status": "pass", "message": None, "score": points, "max_score": points}
             for i in range(count)]
    parts = classroom.runners({"version": 3, "status": "pass", "message": None, "tests": tests})
    assert sum(len(p["tests"]) for _, p in parts) == count
    for name, part in parts:
        n, total = len(part["tests"]), part["max_score"]
        # Every number of passed tests, computed as the reporter does (doubles, as JavaScript's numbers).
        assert all((passed / n) * total == passed * points for passed in range(n + 1)), (name, n)
    assert len(parts) == (1 if classroom.logged_exactly(count, points) else 2)


def test_the_real_classroom_reporter_logs_the_points_it_reports(tmp_path: Path) -> None:
    reporter_folder()
    repo, runners, env_file = run_grading_step(
        tmp_path, {FILE: CASES / MODULE / "forgets_the_name.py", "ex03_multitasking.py": SOLUTIONS / "ex03_multitasking.py",
                   "ex02_start_vs_run.py": SOLUTIONS / "ex02_start_vs_run.py"},
        f"--only ex01 --only ex02 --only ex03 --seed {SEED}")
    whole = json.loads((repo / "classroom.json").read_text(encoding="utf-8"))
    log = run_reporter(env_file, runners)
    (tmp_path / "reporter.log").write_text(log, encoding="utf-8")
    notified, logged, maximum = reporter_totals(log)
    assert notified == f"{whole['score']}/{whole['max_score']}"
    assert (logged, maximum) == (str(whole["score"]), str(whole["max_score"])), log
    lines = re.findall(r"[✅❌] (.+) - line (\S+)", re.sub(r"\x1b\[[0-9;]*m", "", log))
    assert len(lines) == len(whole["tests"]) and all(n.isdigit() and int(n) > 0 for _, n in lines), log


def test_the_real_classroom_reporter_starts_whatever_the_learner_raises(tmp_path: Path) -> None:
    reporter_folder()
    sources = tmp_path / "sources"
    sources.mkdir()
    raising = raising_submission(sources, [e.module for e in catalogue.EXERCISES[:4]], padding="错", times=300_000)
    repo, runners, env_file = run_grading_step(tmp_path, {p.name: p for p in raising.iterdir()},
                                               " ".join(f"--only {e.id}" for e in catalogue.EXERCISES[:4]))
    whole = json.loads((repo / "classroom.json").read_text(encoding="utf-8"))
    log = run_reporter(env_file, runners)
    assert "Argument list too long" not in log and "Error: Importing" in log, log[-2000:]
    junit = ET.parse(repo / "junit.xml").getroot()  # the whole message stays in JUnit, its summary line is short
    errors = list(junit.iter("error"))
    assert errors and all(len(e.get("message")) <= 500 and len(e.text) > 300_000 for e in errors)
    assert f"Points 0/{whole['max_score']}" in log
