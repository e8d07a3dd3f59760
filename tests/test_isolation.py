"""A hostile submission fails its own exercise only: the others are graded, the report is written,
and no process it started is left alive afterwards."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from .conftest import ROOT, SOLUTIONS

HOSTILE = Path(__file__).parent / "hostile"
RUN_MARKER = "MP_KIT_TEST_RUN"  # in the environment of the grader under test, inherited by what it starts
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


def hostile_copy(hostile: str, folder: Path) -> int:
    """Put the hostile module into ``folder`` as ex01, with a sleep of its own; return that sleep's length."""
    nap = random.randrange(10_000, 99_999)  # no other run (a parallel suite, a stress run) uses the same one
    source = (HOSTILE / f"{hostile}.py").read_text(encoding="utf-8")
    (folder / "ex01_create_process.py").write_text(source.replace("NAP = 1000", f"NAP = {nap}"), encoding="utf-8")
    return nap


def leftovers(nap: int, run: str | None = None, before: set[int] = frozenset()) -> list[psutil.Process]:
    """Processes the hostile submission left alive: those sleeping ``nap`` seconds, those that inherited
    the environment marked ``run``, and new descendants of this process (pids not in ``before``)."""
    found = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    for proc in psutil.process_iter(["cmdline", "environ"]):
        cmd = proc.info["cmdline"] or []
        env = proc.info["environ"] or {}
        if str(nap) in cmd or (run is not None and env.get(RUN_MARKER) == run):
            found.append(proc)
    return [p for p in found if _running(p)]


def _running(proc: psutil.Process) -> bool:
    """Whether ``proc`` still runs (a zombie is over; only its exit status waits to be read)."""
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def children_now() -> set[int]:
    """This process's descendants now (a fork server or resource tracker of an earlier test, say)."""
    return {p.pid for p in psutil.Process().children(recursive=True)}


def grade(folder: Path, run: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grader", str(folder), "--only", "ex01", "--only", "ex03",
         "--timeout", str(TIMEOUT), *options],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, RUN_MARKER: run},
    )


@pytest.mark.parametrize("hostile", sorted(EXPECTED))
def test_a_hostile_submission_fails_alone_and_leaves_nothing(hostile: str, start_method: str, tmp_path: Path) -> None:
    if hostile == "starts_hundreds" and start_method != "fork":
        pytest.skip("starting 64 processes by spawn or forkserver may outlast the small time limit used here")
    folder = tmp_path / "submission"
    folder.mkdir()
    nap = hostile_copy(hostile, folder)
    shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", folder / "ex03_multitasking.py")
    report = tmp_path / "results.json"
    run = uuid.uuid4().hex
    before = children_now()
    began = time.monotonic()
    done = grade(folder, run, "--json", str(report), "--start-method", start_method)
    took = time.monotonic() - began

    assert done.returncode == 1, done.stdout + done.stderr
    results = json.loads(report.read_text(encoding="utf-8"))
    ex01 = [t for t in results["tests"] if t["name"].startswith("ex01_create_process:")]
    ex03 = [t for t in results["tests"] if t["name"].startswith("ex03_multitasking:")]
    assert ex01 and all(t["status"] == "failed" for t in ex01), results
    assert ex03 and all(t["status"] == "passed" for t in ex03), results
    assert leftovers(nap, run, before) == []
    assert sorted(folder.iterdir()) == [folder / "ex01_create_process.py", folder / "ex03_multitasking.py"]
    assert took < 120


@pytest.mark.parametrize("hostile", sorted(EXPECTED))
def test_the_learner_is_told_what_went_wrong(hostile: str, tmp_path: Path) -> None:
    from grader import catalogue
    from grader.grading import runner

    folder = tmp_path / "submission"
    folder.mkdir()
    nap = hostile_copy(hostile, folder)
    before = children_now()
    run = runner.grade(folder, [catalogue.find("ex01")], "fork", seed=1, timeout=TIMEOUT)
    first = run.exercises[0].first_failure
    assert first is not None and first.key == EXPECTED[hostile], first
    assert leftovers(nap, before=before) == []


def test_files_written_by_relative_path_land_in_no_folder_of_the_user(tmp_path: Path) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    solution = (SOLUTIONS / "ex01_create_process.py").read_text(encoding="utf-8")
    (folder / "ex01_create_process.py").write_text(
        solution + '\n\nwith open("written-at-import.txt", "w") as f:\n    f.write("x")\n', encoding="utf-8")
    started_in = tmp_path / "where the grader was started"
    started_in.mkdir()
    done = subprocess.run([sys.executable, "-m", "grader", str(folder), "--only", "ex01"], cwd=started_in,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(started_in.iterdir()) == []
    assert [p.name for p in folder.iterdir()] == ["ex01_create_process.py"]
