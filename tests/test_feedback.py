"""What the learner reads: every message in both languages, a Chinese run that is Chinese throughout,
timelines that show overlap, notes in the scoreboard and results.json, hints that go further, watch mode."""

from __future__ import annotations

import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Iterator

import psutil
import pytest

from grader import catalogue, cli, messages
from grader.learner import hints, watch
from grader.reports import console, gradescope, timeline
from grader.results import CheckResult, ExerciseResult, GradeRun

from .conftest import (
    CASES,
    ROOT,
    SOLUTIONS,
    START_METHODS,
    grade_one,
    open_terminal,
    signals_as_at_a_terminal,
    submission_with,
)

START_JOIN_START_JOIN = CASES / "ex03_multitasking" / "start_join_start_join.py"
RUN_MARKER = "MP_KIT_TEST_RUN"  # in the environment of a grader under test, inherited by all it starts
ENGLISH_WORD = re.compile(r"[A-Za-z]+[,.;:!?]?")
CJK = re.compile(r"[\u4e00-\u9fff]")


# Every message in both languages ------------------------------------------------------------------

def message_tables() -> dict[str, dict[str, dict[str, str]]]:
    """Every text the grader prints, key -> language -> template, grouped by the module that defines it."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for key, text in messages.all_texts().items():
        tables.setdefault(text.where, {})[key] = dict(text.templates)
    return tables


TABLES = message_tables()


def english_runs(text: str) -> list[str]:
    """Runs of three or more English words in ``text``, outside `code`: a sentence left untranslated.

    Identifiers (sing_and_dance, ex03, p.start(), --seed, paths) are not words, and text in another
    script ends a run.
    """
    found, run = [], []
    for token in [*re.findall(r"[\x21-\x7e]+|[^\x00-\x7f]+", re.sub(r"`[^`]*`", " ", text)), ""]:
        if ENGLISH_WORD.fullmatch(token):
            run.append(token)
            continue
        if len(run) >= 3:
            found.append(" ".join(run))
        run = []
    return found


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(table: str) -> None:
    for key, templates in TABLES[table].items():
        assert set(templates) == set(messages.LANGS), f"{table}[{key!r}] has languages {sorted(templates)}"
        assert all(templates[lang] for lang in messages.LANGS), f"{table}[{key!r}] is empty in a language"
        en, zh = (messages.placeholders(templates[lang]) for lang in messages.LANGS)
        assert not any(name.endswith("_zh") for name in en) and not any(name.endswith("_en") for name in zh), \
            f"{table}[{key!r}] fills in a value written for the other language"
        en, zh = ({name.removesuffix("_en").removesuffix("_zh") for name in names} for names in (en, zh))
        assert en == zh, f"{table}[{key!r}]: placeholders {sorted(en)} in en, {sorted(zh)} in zh"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_chinese_message_holds_an_english_sentence(table: str) -> None:
    untranslated = {key: english_runs(t["zh"]) for key, t in TABLES[table].items() if english_runs(t["zh"])}
    assert untranslated == {}


def test_every_exercise_has_titles_and_hints_in_both_languages() -> None:
    for exercise in catalogue.EXERCISES:
        assert exercise.title_en and exercise.title_zh and CJK.search(exercise.title_zh), exercise.id
        assert exercise.hints, f"{exercise.id} has no hint"
        for en, zh in exercise.hints:
            assert en.strip() and zh.strip() and CJK.search(zh), (exercise.id, en, zh)
            assert english_runs(zh) == [], (exercise.id, zh)


def learner_env(state: Path, **extra: str) -> dict[str, str]:
    """The environment of a learner's grader run: failures counted in ``state``; no locale, colour or nox but ``extra``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "NOX_CURRENT_SESSION", "NO_COLOR", "CI")}
    return {**env, "MP_KIT_STATE": str(state), **extra}


def test_a_learner_in_a_chinese_locale_reads_chinese_from_the_first_line_to_the_last(tmp_path: Path) -> None:
    folder = submission_with(tmp_path, "ex03_multitasking", START_JOIN_START_JOIN)
    shutil.copyfile(SOLUTIONS / "ex01_create_process.py", folder / "ex01_create_process.py")
    done = subprocess.run([sys.executable, "-m", "grader", str(folder), "--seed", "7"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=learner_env(tmp_path / "progress.json", LANG="zh_CN.UTF-8"))
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert "唱歌跳舞同时进行" in done.stdout and "进程编号" in done.stdout  # the failure, and its timeline
    assert [line for line in lines if not CJK.search(line)] == [], done.stdout
    assert english_runs(done.stdout) == [], done.stdout


# Timelines and notes -----------------------------------------------------------------------------

@pytest.fixture(scope="module", params=START_METHODS)
def ex03_graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, ExerciseResult]:
    """ex03 graded twice: the solution, and the mistake of joining each process before starting the next."""
    graded = {}
    for name, source in (("solution", SOLUTIONS / "ex03_multitasking.py"), ("one_after_the_other", START_JOIN_START_JOIN)):
        folder = submission_with(tmp_path_factory.mktemp(name), "ex03_multitasking", source)
        graded[name] = grade_one(folder, "ex03_multitasking", request.param)
    return graded


def scoreboard(result: ExerciseResult, lang: str = "en", focus: bool = True, colour: bool = False) -> str:
    """The scoreboard of a run that graded ``result`` (``focus``: graded alone, by --only or watch mode)."""
    buffer = io.StringIO()
    console.write_scoreboard(GradeRun("submission", "fork", 1, [result]), buffer, lang, colour, focus)
    return buffer.getvalue()


def drawn_bars(text: str) -> dict[str, tuple[int, int]]:
    """The timeline rows in ``text``: label -> first and past-the-last column of its bar."""
    bars = {}
    for found in re.finditer(r"^\s*(\S+) pid \d+\s+\|([█·]+)\|$", text, re.MULTILINE):
        columns = [i for i, ch in enumerate(found.group(2)) if ch == timeline.BAR]
        bars[found.group(1)] = (columns[0], columns[-1] + 1)
    return bars


def test_the_timeline_of_a_correct_sing_and_dance_shows_two_overlapping_bars(ex03_graded: dict[str, ExerciseResult]) -> None:
    text = scoreboard(ex03_graded["solution"])
    bars = drawn_bars(text)
    assert set(bars) == {"sing", "dance", "sing_and_dance()"}, text
    assert max(bars["sing"][0], bars["dance"][0]) < min(bars["sing"][1], bars["dance"][1]), text
    # the call drawn from its start (the origin) to its return, which a correct one waits for
    assert bars["sing_and_dance()"][0] == 0 and bars["sing_and_dance()"][1] >= max(bars["sing"][1], bars["dance"][1])


def test_the_timeline_of_start_join_start_join_shows_one_bar_after_the_other(ex03_graded: dict[str, ExerciseResult]) -> None:
    result = ex03_graded["one_after_the_other"]
    assert result.first_failure is not None and result.first_failure.key == "one_after_the_other"
    text = scoreboard(result, focus=False)  # a failed exercise shows its timeline in every run
    bars = drawn_bars(text)
    assert set(bars) == {"sing", "dance", "sing_and_dance()"}, text
    assert bars["sing"][1] <= bars["dance"][0], text
    assert text.index("one after the other") < text.index("|")  # the reason first, then the picture


def test_bars_that_do_not_overlap_in_time_never_share_a_column() -> None:
    column = 1 / timeline.WIDTH
    for step in range(1, 400):
        split = column + step / 400 * (1 - 3 * column)  # each bar at least a column long
        rows = timeline.draw([{"label": "a", "pid": 1, "start": 0.0, "end": split},
                              {"label": "b", "pid": 2, "start": split + step % 3 * column / 3, "end": 1.0}])
        a, b = (row[row.index("|") + 1:-1] for row in rows[1:])
        assert not any(x == y == timeline.BAR for x, y in zip(a, b)), (split, rows)


def test_the_timeline_is_plain_text_unless_colour_is_asked_for(ex03_graded: dict[str, ExerciseResult]) -> None:
    assert "\033[" not in scoreboard(ex03_graded["solution"])
    assert timeline.COLOUR + timeline.BAR in scoreboard(ex03_graded["solution"], colour=True)


def test_a_passed_exercise_shows_its_notes_and_timeline_only_when_graded_alone(ex03_graded: dict[str, ExerciseResult]) -> None:
    result = ex03_graded["solution"]
    for lang, note in (("en", "both were alive at once"), ("zh", "两个进程同时活着")):
        assert note in scoreboard(result, lang), lang
        assert note not in scoreboard(result, lang, focus=False) and "|" not in scoreboard(result, lang, focus=False)


@pytest.mark.parametrize("lang", messages.LANGS)
def test_notes_appear_in_the_results_json_output(ex03_graded: dict[str, ExerciseResult], lang: str) -> None:
    result = ex03_graded["solution"]
    [check] = [c for c in result.checks if c.check == "test_sing_and_dance_run_at_the_same_time"]
    report = gradescope.gradescope(GradeRun("submission", "fork", 1, [result]), lang)
    [test] = [t for t in report["tests"] if t["name"] == gradescope.test_name(result, check.title, lang)]
    sing_pid = check.timelines[0][0]["pid"]
    assert {"en": "both were alive at once", "zh": "两个进程同时活着"}[lang] in test["output"], test
    assert str(sing_pid) in test["output"], test


# Hints -------------------------------------------------------------------------------------------

@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "state" / "progress.json"
    monkeypatch.setenv("MP_KIT_STATE", str(path))
    return path


def graded_as(exercise: catalogue.Exercise, passed: bool, missing: bool = False) -> ExerciseResult:
    check = CheckResult("test_it", {"en": "it", "zh": "它"}, 1, passed=passed)
    return ExerciseResult(exercise, [check], missing=missing)


EX03 = catalogue.find("ex03")


def test_hints_go_further_every_few_failures_in_a_row(state: Path, tmp_path: Path) -> None:
    assert hints.hints_for(EX03, 0, "en") == [EX03.hint(0, "en")]
    assert hints.more_needed(EX03, 0) == hints.FAILURES_PER_LEVEL
    assert len(hints.hints_for(EX03, hints.FAILURES_PER_LEVEL, "zh")) == 2
    assert hints.hints_for(EX03, 100, "en") == [EX03.hint(i, "en") for i in range(len(EX03.hints))]
    assert hints.more_needed(EX03, 100) == 0
    for _ in range(3):
        hints.record(tmp_path, [graded_as(EX03, passed=False)])
    assert hints.failures(tmp_path, EX03) == 3
    hints.record(tmp_path, [graded_as(EX03, passed=False, missing=True)])  # not started: not counted
    assert hints.failures(tmp_path, EX03) == 3
    hints.record(tmp_path, [graded_as(EX03, passed=True)])
    assert hints.failures(tmp_path, EX03) == 0


@pytest.mark.parametrize("name", ["ex03", "3", "ex03_multitasking"])
def test_the_hint_command_shows_the_hints_earned(name: str, state: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["hint", name, str(tmp_path), "--lang", "en"]) == 0
    first = capsys.readouterr().out
    assert EX03.hint(0, "en") in first and EX03.hint(1, "en") not in first and "2 more failed" in first
    for _ in range(hints.FAILURES_PER_LEVEL):
        hints.record(tmp_path, [graded_as(EX03, passed=False)])
    assert cli.main(["hint", name, str(tmp_path), "--lang", "zh"]) == 0
    second = capsys.readouterr().out
    assert EX03.hint(0, "zh") in second and EX03.hint(1, "zh") in second and EX03.hint(2, "zh") not in second


def test_the_hint_command_rejects_an_unknown_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["hint", "ex99"]) == cli.EXIT_USAGE
    assert "ex99: no such exercise" in capsys.readouterr().err


def test_the_hint_command_named_is_the_one_that_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOX_CURRENT_SESSION", raising=False)
    assert hints.command(EX03, "exercises") == "python -m grader hint ex03"
    assert hints.command(EX03, "my work") == "python -m grader hint ex03 'my work'"
    monkeypatch.setenv("NOX_CURRENT_SESSION", "grade")
    assert hints.command(EX03, "exercises") == "nox -s hint -- ex03"


def grade_at(folder: Path, state_file: Path, terminal: bool, **env: str) -> str:
    """Grade ex01 of ``folder`` with stdout a pipe or a terminal; return what it printed."""
    command = [sys.executable, "-m", "grader", str(folder), "--only", "ex01", "--lang", "en", "--seed", "3"]
    environ = learner_env(state_file, **env)
    if not terminal:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=environ).stdout
    leader, follower = open_terminal()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=follower, stderr=subprocess.DEVNULL, env=environ)
    os.close(follower)
    printed = b""
    try:
        while chunk := os.read(leader, 4096):
            printed += chunk
    except OSError:  # the terminal closes when the grader exits
        pass
    finally:
        os.close(leader)
    proc.wait(timeout=300)
    return printed.decode("utf-8", errors="replace")


def test_every_learner_run_is_counted_but_only_a_terminal_sees_colour(tmp_path: Path) -> None:
    folder = submission_with(tmp_path, "ex01_create_process", CASES / "ex01_create_process" / "forgets_the_name.py")
    state_file = tmp_path / "progress.json"
    grade_at(folder, state_file, terminal=False, CI="true")  # CI leaves no trace
    assert not state_file.exists()
    piped = grade_at(folder, state_file, terminal=False)  # an IDE's run window, a pipe: counted
    assert "Stuck? For a hint: python -m grader hint ex01" in piped and "\033[" not in piped
    at_terminal = grade_at(folder, state_file, terminal=True)
    assert "\033[31m✘ ex01" in at_terminal
    state = json.loads(state_file.read_text(encoding="utf-8"))[str(folder.resolve())]
    assert state["failures"] == {"ex01": 2} and state["status"] == {"ex01": "failed"}
    assert state["failing"]["ex01"]["key"] == "wrong_name"
    assert "\033[" not in grade_at(folder, state_file, terminal=True, NO_COLOR="1")


# Watch mode --------------------------------------------------------------------------------------

def test_watch_sees_a_file_that_appears_or_changes(tmp_path: Path) -> None:
    ex01, ex03 = catalogue.find("ex01"), catalogue.find("ex03")
    (tmp_path / ex01.filename).write_text("a", encoding="utf-8")
    before = watch.snapshot(tmp_path)
    assert watch.changed(before, watch.snapshot(tmp_path)) == []
    (tmp_path / ex01.filename).write_text("ab", encoding="utf-8")
    (tmp_path / ex03.filename).write_text("", encoding="utf-8")
    (tmp_path / "notes.py").write_text("", encoding="utf-8")
    assert watch.changed(before, watch.snapshot(tmp_path)) == [ex01, ex03]
    assert watch.changed(before, watch.snapshot(tmp_path, [ex03])) == [ex03]
    (tmp_path / ex01.filename).unlink()
    assert watch.changed(before, watch.snapshot(tmp_path)) == [ex03]


class Grader:
    """``python -m grader ARGS`` on a folder, its output read line by line."""

    def __init__(self, folder: Path, *args: str, stdin: int | None = subprocess.DEVNULL) -> None:
        self.run = uuid.uuid4().hex
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grader", *args, str(folder), "--only", "ex01", "--lang", "en", "--timeout", "60"],
            cwd=ROOT, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=learner_env(folder.parent / "progress.json", **{RUN_MARKER: self.run}),
            preexec_fn=signals_as_at_a_terminal)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stdout], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 60) -> list[str]:
        """The lines printed until one holding ``text``."""
        deadline, lines = time.monotonic() + timeout, []
        while True:
            lines.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))
            if text in lines[-1]:
                return lines

    def wait_for_worker(self) -> None:
        """Until the grader has started the worker of an exercise."""
        deadline = time.monotonic() + 30
        while not psutil.Process(self.proc.pid).children() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert psutil.Process(self.proc.pid).children(), "no worker started"

    def leftovers(self) -> list[psutil.Process]:
        """Every process still alive that inherited this run's environment."""
        found = []
        for proc in psutil.process_iter(["environ", "status"]):
            if (proc.info["environ"] or {}).get(RUN_MARKER) == self.run and proc.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(proc)
        return found


@pytest.fixture
def graders(tmp_path: Path) -> Iterator[tuple[Path, list[Grader]]]:
    """A submission folder with ex01 solved, and the graders started on it, stopped at the end whatever happens."""
    folder = submission_with(tmp_path, "ex01_create_process", SOLUTIONS / "ex01_create_process.py")
    started: list[Grader] = []
    yield folder, started
    for grader_run in started:
        if grader_run.proc.poll() is None:
            grader_run.proc.kill()
            grader_run.proc.wait()
        for proc in grader_run.leftovers():
            proc.kill()


def save(path: Path, source: Path, version: int) -> None:
    """Save ``source`` as ``path``, a different size each ``version``, as an editor would."""
    path.write_text(source.read_text(encoding="utf-8") + "#" * version + "\n", encoding="utf-8")


SLOW = '''
import time

def make_process(target, name):
    time.sleep(120)
'''


def test_watch_regrades_each_save_and_ctrl_c_leaves_nothing_behind(graders: tuple[Path, list[Grader]]) -> None:
    folder, started = graders
    watcher = Grader(folder, "watch")
    started.append(watcher)
    first = watcher.wait_for("Watching")
    assert any("✔ ex01" in line for line in first) and any("Press Ctrl-C to stop" in line for line in first)
    save(folder / "ex01_create_process.py", CASES / "ex01_create_process" / "forgets_the_name.py", 1)
    again = watcher.wait_for("Watching")
    assert any("saved: ex01_create_process.py" in line for line in again)
    assert any("✘ ex01" in line for line in again) and any("Stuck? For a hint" in line for line in again), again
    (folder / "ex01_create_process.py").write_text(SLOW, encoding="utf-8")
    watcher.wait_for("saved: ex01_create_process.py")
    watcher.wait_for_worker()
    watcher.proc.send_signal(signal.SIGINT)
    assert watcher.proc.wait(timeout=30) == 0
    watcher.wait_for("Stopped watching.", timeout=5)
    assert watcher.leftovers() == []


def test_ctrl_c_during_a_grade_leaves_nothing_behind(graders: tuple[Path, list[Grader]]) -> None:
    folder, started = graders
    (folder / "ex01_create_process.py").write_text(SLOW, encoding="utf-8")
    grading = Grader(folder)
    started.append(grading)
    grading.wait_for_worker()
    grading.proc.send_signal(signal.SIGINT)
    assert grading.proc.wait(timeout=30) == cli.EXIT_INTERRUPTED
    assert grading.leftovers() == []


SLOW_WITH_A_CHILD = '''
import multiprocessing
import time

def make_process(target, name):
    multiprocessing.Process(target=time.sleep, args=(120,)).start()
    time.sleep(120)
'''


@pytest.mark.parametrize("command", [(), ("watch",)], ids=["grade", "watch"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_grader_killed_from_outside_stops_everything_it_started(
        graders: tuple[Path, list[Grader]], stop: int, command: tuple[str, ...]) -> None:
    # CI cancelling a job, `timeout` and `kill` send SIGTERM; a closed terminal sends SIGHUP. The
    # worker runs in a session of its own, so nothing else would reach it or the learner's processes.
    folder, started = graders
    (folder / "ex01_create_process.py").write_text(SLOW_WITH_A_CHILD, encoding="utf-8")
    grading = Grader(folder, *command)
    started.append(grading)
    deadline = time.monotonic() + 30
    while len(grading.leftovers()) < 3 and time.monotonic() < deadline:  # grader, worker, learner's child
        time.sleep(0.05)
    assert len(grading.leftovers()) >= 3, "the learner's child never started"
    grading.proc.send_signal(stop)
    status = grading.proc.wait(timeout=30)
    assert grading.leftovers() == []
    assert status == 128 + stop  # as a shell reports a command it killed: CI sees it was stopped


def test_watch_at_a_terminal_stops_at_a_keypress(graders: tuple[Path, list[Grader]]) -> None:
    folder, started = graders
    leader, follower = open_terminal()
    try:
        watcher = Grader(folder, "watch", stdin=follower)
        started.append(watcher)
        assert any("Press q or Ctrl-C to stop" in line for line in watcher.wait_for("Watching"))
        os.write(leader, b"q")
        assert watcher.proc.wait(timeout=30) == 0
        watcher.wait_for("Stopped watching.", timeout=5)
    finally:
        os.close(leader)
        os.close(follower)
