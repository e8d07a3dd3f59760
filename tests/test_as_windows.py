"""``MP_KIT_AS_WINDOWS=1``: on Linux the grader takes the paths it takes on Windows, and they work.

Workers start as fresh interpreters, multiprocessing offers spawn only, nothing is re-parented
to the grader, no signal is held. These tests run the grader that way from the ordinary suite
(and .ci/run runs tests/test_solutions.py under it too), so those paths never go untested.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil

from grader import catalogue
from grader.results import NOT_STARTED, read_run

from .conftest import EXERCISES, ROOT, SOLUTIONS, describe, submission_with

AS_WINDOWS = {"MP_KIT_AS_WINDOWS": "1"}
RUN_MARKER = "MP_KIT_TEST_RUN"  # in the environment of the grader under test, inherited by all it starts


def grader(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m grader ARGS --lang en`` with ``MP_KIT_AS_WINDOWS=1``."""
    return subprocess.run([sys.executable, "-m", "grader", *args, "--lang", "en"], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **AS_WINDOWS, **(env or {})})


def test_the_switch_offers_only_what_windows_offers() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", "import json; from grader import host; print(json.dumps([host.FORKS_WORKERS, "
         "host.CAN_SUBREAP, host.CAN_HOLD_SIGNALS, host.HAS_PROCESS_GROUPS, host.HAS_PIDFD, host.REAPS_CHILDREN, "
         "host.start_methods(), host.default_start_method()]))"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, **AS_WINDOWS})
    assert json.loads(shown.stdout) == [False] * 6 + [["spawn"], "spawn"], shown.stderr


def test_a_solution_passes_under_spawn_in_a_worker_that_is_a_fresh_interpreter(tmp_path: Path) -> None:
    folder = submission_with(tmp_path, "ex03_multitasking", SOLUTIONS / "ex03_multitasking.py")
    argv_log = tmp_path / "argv.log"
    # Every process that imports the submission says how it was started: the learner host, and its spawned children.
    with open(folder / "ex03_multitasking.py", "a", encoding="utf-8") as module:
        module.write("\nimport os as _os, sys as _sys\n"
                     "with open(_os.environ['ARGV_LOG'], 'a', encoding='utf-8') as _log:\n"
                     "    _log.write(repr(_sys.orig_argv) + '\\n')\n")
    done = grader(str(folder), "--only", "ex03", env={"ARGV_LOG": str(argv_log)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "start method spawn" in done.stdout and "7/7" in done.stdout, done.stdout
    started = argv_log.read_text(encoding="utf-8").splitlines()
    assert any("grader.inside.learner_host" in line for line in started), started
    assert not any("'grader'" in line for line in started), started  # no process is a fork of the grader
    assert any("spawn_main" in line for line in started), started


def test_the_stubs_are_not_started(tmp_path: Path) -> None:
    record = tmp_path / "run.json"
    done = grader(str(EXERCISES), "--record", str(record))
    assert done.returncode == 1, done.stdout + done.stderr
    exercises = read_run(record).exercises
    assert len(exercises) == len(catalogue.EXERCISES), exercises
    assert all(e.status == NOT_STARTED and e.untouched for e in exercises), exercises  # untouched: no worker ran


HANGS = '''
import multiprocessing
import time

NAP = {nap}


def nap():
    time.sleep(NAP)


def make_process(target, name):
    multiprocessing.Process(target=nap).start()  # a child that outlives the check, then the call hangs
    time.sleep(NAP)
'''


def test_a_hanging_submission_is_contained_and_leaves_nothing_running(tmp_path: Path) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "ex01_create_process.py").write_text(HANGS.format(nap=3600), encoding="utf-8")
    run = uuid.uuid4().hex
    began = time.monotonic()
    done = grader(str(folder), "--only", "ex01", "--timeout", "2", "--record", str(tmp_path / "run.json"),
                  env={RUN_MARKER: run})
    took = time.monotonic() - began
    assert done.returncode == 1, done.stdout + done.stderr
    (ex01,) = read_run(tmp_path / "run.json").exercises
    assert ex01.first_failure is not None and ex01.first_failure.key == "timeout", describe(ex01)  # stopped, and told so
    left = [p for p in psutil.process_iter(["environ"]) if (p.info["environ"] or {}).get(RUN_MARKER) == run]
    assert left == [], left
    assert took < 120
