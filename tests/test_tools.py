"""The maintainers' tools work: the stress run (``python -m grader.dev stress``) and the benchmark (``... bench``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psutil
import pytest

from grader.dev import bench, stress
from grader.dev.casebook import load_cases, why_not_here
from grader.dev.load import busy_cores


def test_the_load_stops_even_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError):
        with busy_cores(2) as spinners:
            pids = [s.pid for s in spinners]
            assert all(psutil.pid_exists(pid) for pid in pids)
            raise RuntimeError("the stress run was interrupted")
    assert not any(psutil.pid_exists(pid) for pid in pids)


def test_a_spinner_stops_by_itself_once_its_parent_is_gone() -> None:
    started = psutil.Popen([sys.executable, "-c", "import subprocess, sys\n"
                            "from grader.dev.load import BUSY_LOOP\n"
                            "p = subprocess.Popen([sys.executable, '-c', BUSY_LOOP, str(__import__('os').getpid())])\n"
                            "print(p.pid, flush=True)\n"], cwd=Path(__file__).parent.parent, stdout=-1, text=True)
    spinner = psutil.Process(int(started.stdout.readline()))
    started.wait()
    spinner.wait(timeout=10)  # raises psutil.TimeoutExpired if it spins on


def test_the_plan_grades_a_case_only_under_the_methods_it_names(tmp_path: Path) -> None:
    options = argparse.Namespace(only=[], runs=2, methods=["fork", "spawn", "forkserver"], seed=7, submission=[])
    jobs = stress.plan(options, tmp_path)
    for case in load_cases(options.methods):
        graded = {(j.run, j.method) for j in jobs if j.source == str(case.path)}
        expected = set() if why_not_here(case.path) else {(run, m) for run in range(2) for m in case.methods}
        assert graded == expected, case.id
    assert {j.seed for j in jobs} == {7, 8}
    solutions = [j for j in jobs if j.name == "solution"]
    assert solutions and all(j.expect is None for j in solutions)


def test_a_short_stress_run_finds_no_wrong_grade(capsys: pytest.CaptureFixture[str]) -> None:
    # The tool end to end on a correct and a wrong submission, under its own load: the whole casebook is nox -s stress.
    assert stress.main(["--runs", "1", "--only", "ex01", "--methods", "fork", "--load", "1",
                        "--submission", "solution", "--submission", "case/lambda_target"]
                       ) == stress.EXIT_CLEAN
    out = capsys.readouterr().out
    assert "Wrong grades: none." in out and "2 gradings in" in out, out
    assert "ex01_create_process" in out


def test_a_stress_run_of_a_submission_that_is_not_there_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert stress.main(["--runs", "1", "--only", "ex01", "--submission", "case/no_such_case"]) == stress.EXIT_USAGE
    assert "case/no_such_case" in capsys.readouterr().err


def test_the_benchmark_reports_each_exercise_and_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--runs", "1", "--only", "ex01", "--methods", "fork", "--no-cli"]) == bench.EXIT_DONE
    out = capsys.readouterr().out
    assert "ex01_create_process" in out and "catalogue (in-process)" in out
    assert "Not passed" not in out


def test_covered_time_counts_overlapping_spans_once() -> None:
    spans = [(1.0, 3.0), (2.0, 4.0), (6.0, 7.0), (0.0, 0.5)]
    assert bench.covered(spans, (0.25, 6.5)) == pytest.approx(0.25 + 3.0 + 0.5)
    assert bench.covered([], (0.0, 1.0)) == 0.0


def test_the_worker_reports_where_its_time_went() -> None:
    from grader import catalogue
    from grader.grading import runner

    from .conftest import SOLUTIONS

    began = time.monotonic()
    result = runner.grade(SOLUTIONS, [catalogue.find("ex01")], "fork", 1).exercises[0]
    phases = result.timings
    assert {"prepare", "worker_start", "worker_setup", "pytest", "worker_end", "reap", "finish"} <= set(phases)
    assert all(seconds >= 0 for seconds in phases.values())
    assert sum(phases.values()) == pytest.approx(result.duration, abs=0.01)
    assert result.duration <= time.monotonic() - began


def test_a_grading_without_a_record_is_a_wrong_grade(tmp_path: Path) -> None:
    """The stress run judges the grader's own record: a grader that leaves none (here: no such folder)
    is counted wrong, never as the grade the job expected."""
    job = stress.Job(0, "fork", 1, "ex01_create_process", "solution", "nowhere", str(tmp_path / "missing"))
    record = tmp_path / "record.json"
    record.write_text("left by an earlier grading", encoding="utf-8")
    outcome = stress.Graders().grade(job, record)
    assert outcome is not None and outcome.wrong and "left no record" in outcome.wrong, outcome
