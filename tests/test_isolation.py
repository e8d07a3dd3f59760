"""A hostile submission fails its own exercise only: the others are graded, the report is written,
and no process it started is left alive afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .conftest import ROOT, SOLUTIONS, START_METHODS

HOSTILE = Path(__file__).parent / "hostile"
TIMEOUT = 3  # seconds per check: small, so that hanging submissions are stopped quickly here

# hostile module -> the mistake key of its first failing check
EXPECTED = {
    "hangs_at_import": "timeout",
    "hangs_in_call": "timeout",
    "exits": "raised",
    "kills_its_interpreter": "grading_process_died",
    "leaves_processes": "leaked_processes",
    "starts_hundreds": "too_many_processes",
}


def leftovers() -> list[psutil.Process]:
    """Processes the hostile submissions start, if any survived."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if cmd[:2] in (["sleep", "1000"], ["sleep", "1001"]):
            found.append(proc)
    return found


def grade(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", str(folder), "--only", "ex01", "--only", "ex03",
         "--timeout", str(TIMEOUT), *options],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize("hostile", sorted(EXPECTED))
def test_a_hostile_submission_fails_alone_and_leaves_nothing(hostile: str, start_method: str, tmp_path: Path) -> None:
    if hostile == "starts_hundreds" and start_method != "fork":
        pytest.skip("starting 64 processes by spawn or forkserver may outlast the small time limit used here")
    folder = tmp_path / "submission"
    folder.mkdir()
    shutil.copyfile(HOSTILE / f"{hostile}.py", folder / "ex01_create_process.py")
    shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", folder / "ex03_multitasking.py")
    report = tmp_path / "results.json"
    began = time.monotonic()
    done = grade(folder, "--json", str(report), "--start-method", start_method)
    took = time.monotonic() - began

    assert done.returncode == 1, done.stdout + done.stderr
    results = json.loads(report.read_text(encoding="utf-8"))
    ex01 = [t for t in results["tests"] if t["name"].startswith("ex01_create_process:")]
    ex03 = [t for t in results["tests"] if t["name"].startswith("ex03_multitasking:")]
    assert ex01 and all(t["status"] == "failed" for t in ex01), results
    assert ex03 and all(t["status"] == "passed" for t in ex03), results
    assert leftovers() == []
    assert sorted(folder.iterdir()) == [folder / "ex01_create_process.py", folder / "ex03_multitasking.py"]
    assert took < 120


@pytest.mark.parametrize("hostile", sorted(EXPECTED))
def test_the_learner_is_told_what_went_wrong(hostile: str, tmp_path: Path) -> None:
    from grader import catalogue, runner

    folder = tmp_path / "submission"
    folder.mkdir()
    shutil.copyfile(HOSTILE / f"{hostile}.py", folder / "ex01_create_process.py")
    run = runner.grade(folder, [catalogue.find("ex01")], "fork", seed=1, timeout=TIMEOUT)
    first = run.exercises[0].first_failure
    assert first is not None and first.key == EXPECTED[hostile], first
    assert leftovers() == []
