"""The gradebook grades a folder of submissions, each in isolation, exactly as each is graded alone.

Most tests grade ex01 only (``--only ex01``): what is tested here is the gradebook, not the catalogue.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from grader import catalogue
from grader.grading import sandbox
from grader.teacher import gradebook, intake, isolation, layouts

from .conftest import CASES, EXERCISES, ROOT, SOLUTIONS, signals_as_at_a_terminal

MODULE = "ex01_create_process"
# What a row that graded well says: nothing, or, where the sandbox cannot run here (no bubblewrap, as in
# the Debian chroot of Python 3.14/3.15), that it was graded without it.
SANDBOX_NOTE = "" if sandbox.unavailable() is None else isolation.no_sandbox_note("en", sandbox.what_runs_instead())
FILE = f"{MODULE}.py"
SEED = 4242

# Kills once only: its grader's orphaned worker is re-parented to the nearest subreaper, which in a
# test session that graded in-process is pytest itself.
# The signal goes by the kill command: os.kill on its grader is refused and reported as tampering. The
# flag lives in /tmp: the sandbox keeps the submission's folder read-only.
KILLS_ITS_GRADER = '''
import multiprocessing, os, subprocess, tempfile

def _grader():  # the topmost process of the grading's command line (the learner runs in a fork of it)
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
    flag = os.path.join(tempfile.gettempdir(), os.path.basename(os.path.dirname(os.path.abspath(__file__))) + ".killed")
    if not os.path.exists(flag):
        open(flag, "w").close()
        subprocess.run(["kill", "-KILL", str(_grader())])
    return multiprocessing.Process(target=target, name=name)
'''

STOPS_ITS_GRADER = '''
import multiprocessing, os, subprocess, tempfile

def _grader():  # the topmost process of the grading's command line (the learner runs in a fork of it)
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
    flag = os.path.join(tempfile.gettempdir(), os.path.basename(os.path.dirname(os.path.abspath(__file__))) + ".stopped")
    if not os.path.exists(flag):
        open(flag, "w").close()
        subprocess.run(["kill", "-STOP", str(_grader())])  # stopped for good
    return multiprocessing.Process(target=target, name=name)
'''


def run_gradebook(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", "gradebook", str(folder), *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def grade_alone(folder: Path, tmp: Path, *options: str) -> dict:
    """The Gradescope report of ``folder`` graded by ``python -m grader`` on its own."""
    report = tmp / f"alone-{uuid.uuid4().hex}.json"
    done = subprocess.run([sys.executable, "-m", "grader", str(folder), "--json", str(report), *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:  # the gradebook CSV starts with a BOM
        return {row["submission"]: row for row in csv.DictReader(stream)}


def outcome(report: dict) -> list[tuple[str, str, int]]:
    """What a grade is: each test's name, status and score."""
    return [(t["name"], t["status"], t["score"]) for t in report["tests"]]


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every path under ``folder`` with its size, modification time and content hash."""
    found = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns, digest)
    return found


def submission(folder: Path, source: Path | str) -> Path:
    """A submission folder holding ``source`` (a file, or the text of one) as the ex01 module."""
    folder.mkdir(parents=True)
    if isinstance(source, Path):
        shutil.copyfile(source, folder / FILE)
    else:
        (folder / FILE).write_text(source, encoding="utf-8")
    return folder


def zip_folder(archive: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(archive, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return archive


@pytest.fixture
def five(tmp_path: Path) -> Path:
    """A class of five: a correct one, the untouched stubs, two different mistakes, one zipped in a subfolder with junk."""
    folder = tmp_path / "class"
    submission(folder / "correct", SOLUTIONS / FILE)
    submission(folder / "stubs", EXERCISES / FILE)
    submission(folder / "forgets_the_name", CASES / MODULE / "forgets_the_name.py")
    submission(folder / "starts_too_early", CASES / MODULE / "starts_the_process.py")
    zip_folder(folder / "zipped.zip", {
        "zipped-main/exercises/" + FILE: (CASES / MODULE / "returns_a_thread.py").read_bytes(),
        "zipped-main/README.txt": b"my homework\n",
        "zipped-main/exercises/__pycache__/ex01_create_process.cpython-311.pyc": b"\0junk",
        "__MACOSX/zipped-main/exercises/._" + FILE: b"\0\5\26\7 resource fork",
        "zipped-main/.DS_Store": b"\0\0\0\1Bud1",
    })
    return folder


def test_each_row_equals_the_submission_graded_alone(five: Path, tmp_path: Path, start_method: str) -> None:
    before = snapshot(five)
    table, reports = tmp_path / "grades.csv", tmp_path / "reports"
    done = run_gradebook(five, "--only", "ex01", "--seed", str(SEED), "--start-method", start_method, "--lang", "en",
                         "--jobs", "2", "--csv", str(table), "--json-dir", str(reports))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"seed {SEED}" in done.stdout

    rows = read_csv(table)
    assert sorted(rows) == ["correct", "forgets_the_name", "starts_too_early", "stubs", "zipped"]
    assert list(next(iter(rows.values()))) == gradebook.csv_header([catalogue.find("ex01")])

    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(five / "zipped.zip") as zipped:
        zipped.extractall(unzipped)
    alone_folders = {name: five / name for name in rows if name != "zipped"}
    alone_folders["zipped"] = unzipped / "zipped-main" / "exercises"
    options = ("--only", "ex01", "--seed", str(SEED), "--start-method", start_method, "--lang", "en")
    with ThreadPoolExecutor(len(alone_folders)) as pool:  # each its own process: they wait, so they overlap
        graded = dict(zip(alone_folders, pool.map(lambda f: grade_alone(f, tmp_path, *options),
                                                  alone_folders.values()), strict=True))
    for name, alone in graded.items():
        in_book = json.loads((reports / f"{name}.json").read_text(encoding="utf-8"))
        assert outcome(in_book) == outcome(alone), name
        assert int(rows[name][MODULE]) == int(rows[name]["score"]) == alone["score"], name
        assert int(rows[name]["max_score"]) == alone["max_score"] == 4, name
        assert rows[name]["seed"] == str(SEED) and f"seed {SEED}" in in_book["output"], name

    scores = {name: int(row["score"]) for name, row in rows.items()}
    assert scores["correct"] == 4 and scores["stubs"] == 0
    assert 0 < scores["forgets_the_name"] < 4 and scores["starts_too_early"] < 4 and scores["zipped"] < 4
    assert "zipped/zipped-main/exercises" in rows["zipped"]["note"]
    assert snapshot(five) == before, "the gradebook wrote into the folder of submissions"


def test_a_submission_that_cannot_be_read_gets_a_row_that_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    submission(folder / "fine", SOLUTIONS / FILE)
    (folder / "text.zip").write_text("this is not a zip\n", encoding="utf-8")
    (folder / "rar.zip").write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\0" * 64)
    good = zip_folder(tmp_path / "good.zip", {FILE: (SOLUTIONS / FILE).read_bytes()}).read_bytes()
    (folder / "cut_short.zip").write_bytes(good[: len(good) // 2])
    zip_folder(folder / "empty.zip", {})
    zip_folder(folder / "escapes.zip", {"../../escaped.py": b"print('out')\n", "/abs.py": b"",
                                        "ok/" + FILE: (SOLUTIONS / FILE).read_bytes()})
    (folder / "roster.txt").write_text("not a submission\n", encoding="utf-8")
    before = snapshot(folder)
    table = tmp_path / "grades.csv"
    done = run_gradebook(folder, "--only", "ex01", "--csv", str(table), "--lang", "en")
    assert done.returncode == 3, done.stdout + done.stderr  # files found that could not be graded
    rows = read_csv(table)
    assert sorted(rows) == ["cut_short", "empty", "escapes", "fine", "rar", "text"]
    listed = done.stdout.split("NOT GRADED", 1)[1]
    assert all(f"  {name}: " in listed for name in ("cut_short", "empty", "rar", "text"))
    assert "  fine: " not in listed and "  escapes: " not in listed
    assert rows["fine"]["score"] == "4" and rows["fine"]["note"] == SANDBOX_NOTE
    assert rows["text"]["score"] == "0" and "text.zip is not a zip archive" in rows["text"]["note"]
    assert "RAR" in rows["rar"]["note"]
    assert rows["cut_short"]["score"] == "0" and "not a zip" in rows["cut_short"]["note"]
    assert rows["empty"]["score"] == "0" and "no exNN_*.py module found" in rows["empty"]["note"]
    assert "it is a RAR file" in rows["rar"]["note"]
    assert rows["escapes"]["score"] == "4" and "skipped 2 unsafe path" in rows["escapes"]["note"]
    assert "roster.txt" in done.stdout
    assert not list(tmp_path.rglob("escaped.py")) and not Path("/abs.py").exists()
    assert snapshot(folder) == before


def test_a_hostile_submission_spoils_only_its_own_row(tmp_path: Path) -> None:
    token = uuid.uuid4().hex[:12]
    folder = tmp_path / "class"
    submission(folder / "fine", SOLUTIONS / FILE)
    submission(folder / f"kills-{token}", KILLS_ITS_GRADER)
    submission(folder / f"stops-{token}", STOPS_ITS_GRADER)
    table = tmp_path / "grades.csv"
    done = run_gradebook(folder, "--only", "ex01", "--csv", str(table), "--jobs", "2", "--lang", "en",
                         "--submission-timeout", "8")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = read_csv(table)
    assert rows["fine"]["score"] == "4" and rows["fine"]["note"] == SANDBOX_NOTE
    assert rows[f"kills-{token}"]["score"] == "0" and "killed (signal 9)" in rows[f"kills-{token}"]["note"]
    assert rows[f"stops-{token}"]["score"] == "0" and "stopped after 8 s" in rows[f"stops-{token}"]["note"]
    left = [p for p in psutil.process_iter(["cmdline"]) if token in " ".join(p.info["cmdline"] or [])]
    assert left == [], left


@pytest.mark.parametrize("make", ["missing", "empty", "only_files"])
def test_no_submissions_is_exit_status_2(make: str, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    if make != "missing":
        folder.mkdir()
    if make == "only_files":
        (folder / "roster.txt").write_text("alice\n", encoding="utf-8")
    done = run_gradebook(folder, "--only", "ex01")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "error:" in done.stderr


def test_it_refuses_to_write_into_the_folder_of_submissions(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    submission(folder / "fine", SOLUTIONS / FILE)
    done = run_gradebook(folder, "--only", "ex01", "--csv", str(folder / "grades.csv"))
    assert done.returncode == 2 and "never writes into" in done.stderr
    assert not (folder / "grades.csv").exists()


def test_submissions_are_named_by_their_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("alice", ".hidden", "__MACOSX"):
        (folder / name).mkdir()
    for name in ("bob.zip", "alice.zip", "Carol.ZIP"):
        (folder / name).write_bytes(b"")
    (folder / "notes.md").write_text("", encoding="utf-8")
    found, ignored, loose = layouts.find_learners(folder)
    assert [s.name for s in found] == ["Carol", "alice", "alice.zip", "bob"]
    assert ignored == ["notes.md"] and loose == []


def test_the_modules_are_found_where_the_most_of_them_are(tmp_path: Path) -> None:
    for folder, count in (("kit/exercises", 3), ("kit/solutions", 3), ("old", 1), ("kit", 0)):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        for exercise in catalogue.EXERCISES[:count]:
            (tmp_path / folder / exercise.filename).write_text("", encoding="utf-8")
    (tmp_path / "__MACOSX" / "deep" / "more").mkdir(parents=True)
    for exercise in catalogue.EXERCISES:
        (tmp_path / "__MACOSX" / "deep" / "more" / exercise.filename).write_text("", encoding="utf-8")
    found = intake.locate_modules(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["kit/exercises", "kit/solutions", "old"]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _row(name: str, score: int) -> gradebook.Row:
    return gradebook.Row(name, {}, {MODULE: score}, {MODULE: 4})


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere() -> None:
    terminal, log = FakeTerminal(), io.StringIO()
    for stream in (terminal, log):
        progress = gradebook.Progress(2, "en", stream)
        progress.started("alice")
        progress.finished(_row("alice", 4))
        progress.started("bob")
        progress.finished(_row("bob", 1))
        progress.close()
    assert "\r[" in terminal.getvalue() and "2/2" in terminal.getvalue()
    assert log.getvalue().splitlines() == ["[1/2] graded alice: 4/4", "[2/2] graded bob: 1/4"]


def test_the_submission_timeout_allows_more_than_the_grader_does() -> None:
    exercises = [catalogue.find("ex01")]
    checks = len(gradebook.runner.checks_of(exercises[0]))
    allowed = gradebook.default_submission_timeout(exercises, 5.0)
    assert allowed >= 2 * (checks * 5.0 + gradebook.runner.WORKER_MARGIN)


def test_the_kit_is_importable_from_the_graders_it_starts(tmp_path: Path) -> None:
    env = isolation.grader_env()
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)


def test_a_grader_that_crashes_gets_a_row_that_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crash = [sys.executable, "-c",
             "import sys; sys.stderr.write('Traceback (most recent call last):\\nBoom: the kit broke\\n'); sys.exit(1)"]
    monkeypatch.setattr(isolation, "grader_command", lambda folder, record, settings: crash)
    settings = gradebook.Settings([catalogue.find("ex01")], SEED, "fork", "en", 1.0, 30.0)
    run, notes = isolation.grade_folder(tmp_path, settings, tmp_path, isolation.Supervisor(), "alice")
    assert notes == ["its grader failed (exit code 1): Boom: the kit broke"]
    checks = [c for e in run.exercises for c in e.checks]
    assert run.score == 0 and len(checks) == 3
    assert all("The grading of alice ended without a report (exit code 1)" in c.message("en") for c in checks)


def test_a_row_is_read_from_the_graders_record_not_from_test_names(tmp_path: Path) -> None:
    # The grader's record says which exercise each check belongs to; a report's test names (which a
    # check's title could make say anything, colons included) are never parsed back.
    settings = gradebook.Settings([catalogue.find("ex01"), catalogue.find("ex02")], SEED, "fork", "en", 1.0, 30.0)
    run = isolation.failed_run(settings, "no_result", name="x", how="test", detail="")
    first = run.exercises[0].checks[0]
    first.passed, first.title = True, {"en": "ex02_start_vs_run: looks like ex02", "zh": "ex02_start_vs_run：像 ex02"}
    row = gradebook.row_from_run("alice", run, settings, [], 0.0)
    assert row.points == {MODULE: first.points, "ex02_start_vs_run": 0}
    assert row.max_points[MODULE] == run.exercises[0].max_score


def test_the_gradebook_and_the_command_line_do_not_import_each_other() -> None:
    code = ("import sys, grader.teacher.gradebook; assert 'grader.cli' not in sys.modules, 'gradebook imports cli'\n"
            "import grader.cli; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_gradescope_grades_an_upload_that_is_an_unextracted_zip(tmp_path: Path) -> None:
    from grader.teacher import gradescope

    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    zip_folder(root / "submission" / "homework.zip", {f"homework/{FILE}": (SOLUTIONS / FILE).read_bytes()})
    before = snapshot(root / "submission")
    report = gradescope.run_autograder(root, {"GRADER_ONLY": "ex01", "GRADER_SEED": str(SEED), "GRADER_LANG": "en"})
    assert report["score"] == 4 == report["max_score"], report["output"]
    assert "unpacked homework.zip" in report["output"]
    assert json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))["score"] == 4
    assert snapshot(root / "submission") == before


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl_c", "SIGTERM"])
def test_ctrl_c_or_sigterm_stops_every_grader_at_once(tmp_path: Path, stop: int) -> None:
    token = uuid.uuid4().hex[:12]
    folder = tmp_path / "class"
    submission(folder / f"hangs-{token}", Path(__file__).parent / "hostile" / "hangs_in_call.py")
    book = subprocess.Popen([sys.executable, "-m", "grader", "gradebook", str(folder), "--only", "ex01",
                             "--timeout", "300"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=signals_as_at_a_terminal)

    def graders() -> list[psutil.Process]:
        return [p for p in psutil.process_iter(["cmdline"]) if token in " ".join(p.info["cmdline"] or [])]

    deadline = time.monotonic() + 60
    while not graders() and time.monotonic() < deadline:  # nothing to wait on: the grader is a grandchild
        time.sleep(0.05)
    assert graders(), "the gradebook never started grading"
    book.send_signal(stop)
    _, err = book.communicate(timeout=60)
    assert graders() == []
    assert book.returncode == 128 + stop, err
