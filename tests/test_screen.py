"""The learner's screen: any console's encoding, every failing check, wrapping, timelines, watch, hints, names.

Most tests render results built in memory; those that must run the grader grade one exercise.
"""

from __future__ import annotations

import io
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import catalogue, cli
from grader.learner import hints, screen, watch, watch_log
from grader.messages import word
from grader.reports import console, terminal, timeline
from grader.results import CheckResult, ExerciseResult, GradeRun

from .conftest import CASES, EXERCISES, ROOT, SOLUTIONS, open_terminal, submission_with

EX01, EX02, EX03, EX04 = (catalogue.find(n) for n in ("ex01", "ex02", "ex03", "ex04"))


def check(name: str, passed: bool, key: str | None = None, message: str = "It went wrong.") -> CheckResult:
    """A check's result as the worker reports it, with the same message in both languages."""
    failure = None if passed else {"key": key or "wrong", "values": {}, "en": message, "zh": "出错了：" + message}
    return CheckResult(name, {"en": f"{name} works", "zh": f"{name} 可以运行"}, 2, passed, failure)


def graded(exercise: catalogue.Exercise, *checks: CheckResult) -> ExerciseResult:
    return ExerciseResult(exercise, list(checks))


def learner_env(state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "NOX_CURRENT_SESSION", "NO_COLOR", "CI")}
    return {**env, "MP_KIT_STATE": str(state), **extra}


# 1. A console's encoding ------------------------------------------------------------------------

def console_of(encoding: str) -> tuple[io.TextIOWrapper, io.BytesIO]:
    """A stream that encodes as a console with ``encoding`` does, made tolerant as the grader makes stdout."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
    terminal.tolerate_encoding(stream)
    return stream, raw


@pytest.mark.parametrize("encoding", ["gbk", "cp1252", "ascii"])
def test_a_console_without_the_symbols_gets_plain_ones_instead_of_a_crash(encoding: str) -> None:
    stream, raw = console_of(encoding)
    bars = [{"label": "sing", "pid": 1, "start": 0.0, "end": 0.1}]
    result = graded(EX03, check("a", True), check("b", False, message="printed “唱歌。。。” 0 times…"))
    result.checks[0].timelines.append(bars)
    for lang in ("en", "zh"):
        console.write_scoreboard(GradeRun("exercises", "fork", 1, [result, graded(EX01, check("c", True))]),
                                 stream, lang, focus=True)
    stream.flush()
    printed = raw.getvalue().decode(encoding)
    assert "OK ex01" in printed and "X  ex03" in printed
    assert ("█" if encoding == "gbk" else "#") in printed  # gbk has the block, not the marks
    if encoding == "gbk":
        assert "唱歌跳舞同时进行" in printed and "出错了" in printed  # Chinese kept where the console has it
    else:
        assert "?" in printed


@pytest.mark.parametrize("encoding", ["gbk", "cp1252"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_grading_at_a_console_that_is_not_utf8_ends_with_its_status_and_no_traceback(
        encoding: str, lang: str, tmp_path: Path) -> None:
    env = learner_env(tmp_path / "progress.json", PYTHONIOENCODING=encoding)
    solved = subprocess.run([sys.executable, "-m", "grader", str(SOLUTIONS), "--only", "ex03", "--lang", lang],
                            cwd=ROOT, capture_output=True, env=env, timeout=300)
    stub = subprocess.run([sys.executable, "-m", "grader", str(EXERCISES), "--only", "ex01", "--lang", lang],
                          cwd=ROOT, capture_output=True, env=env, timeout=300)
    hint = subprocess.run([sys.executable, "-m", "grader", "hint", str(EXERCISES), "--lang", lang],
                          cwd=ROOT, capture_output=True, env=env, timeout=300)
    for done, status in ((solved, 0), (stub, 1), (hint, 0)):
        assert done.returncode == status and b"Traceback" not in done.stderr, done.stderr.decode(encoding)
    printed = solved.stdout.decode(encoding)
    assert "OK ex03" in printed and "|" in printed  # the mark and the timeline, in plain symbols
    if encoding == "gbk" and lang == "zh":
        assert "唱歌跳舞同时进行" in printed


# 2. Every failing check -------------------------------------------------------------------------

def test_every_failing_check_is_listed_the_first_in_full_the_others_by_title() -> None:
    result = graded(EX04, check("args", False, message="First reason."), check("kwargs", False, message="Second."),
                    check("fine", True), check("one", False, message="Third."))
    text = console.failure_text(result, "en")
    assert "args works:" in text and "First reason." in text
    assert "2 more checks failed:" in text and "- kwargs works" in text and "- one works" in text
    assert "Second." not in text and "Third." not in text  # the others by title only
    assert "另有 2 项检查未通过" in console.failure_text(result, "zh")
    one = console.failure_text(graded(EX04, check("args", False), check("kwargs", False)), "en")
    assert "1 more check failed:" in one


def test_checks_not_run_after_a_hang_are_counted_not_listed() -> None:
    result = graded(EX04, check("args", False, key="timeout"), check("kwargs", False, key="not_checked"),
                    check("one", False, key="not_checked"))
    text = console.failure_text(result, "en")
    assert "more checks failed" not in text and "2 more check(s) not run" in text


# 3. Wrapping ------------------------------------------------------------------------------------

ENGLISH = ("      sing_and_dance returned after 0.05 s, but sing (pid 123) was still running until 0.11 s. "
           "Call join() on both processes before returning, so the caller knows the work is done.")
CHINESE = ("      sing_and_dance 在 0.05 秒时就返回了，但 sing（进程编号 123）一直运行到 0.11 秒。"
           "返回之前请对两个进程都调用 join()，这样调用者才知道工作已经完成。")


@pytest.mark.parametrize("width", [40, 60, 80])
def test_english_wraps_between_words_keeping_the_indentation(width: int) -> None:
    lines = terminal.wrap(ENGLISH, width).split("\n")
    assert len(lines) > 1 and all(terminal.display_width(line) <= width for line in lines)
    assert all(line.startswith("      ") and not line.startswith("       ") for line in lines)
    assert " ".join(line.strip() for line in lines) == ENGLISH.strip()  # no word broken


@pytest.mark.parametrize("width", [30, 40, 80])
def test_chinese_wraps_between_characters_counting_two_columns_each(width: int) -> None:
    lines = terminal.wrap(CHINESE, width).split("\n")
    assert len(lines) > 1 and all(terminal.display_width(line) <= width for line in lines)
    assert all(line.startswith("      ") for line in lines)
    assert not any(line.strip()[0] in "，。：）" for line in lines)  # a closing mark never starts a line
    assert "".join(line.strip() for line in lines).replace(" ", "") == CHINESE.strip().replace(" ", "")


def test_wide_characters_count_two_columns_and_colour_codes_none() -> None:
    assert terminal.display_width("主进程") == 6 and terminal.display_width("（a）") == 5
    assert terminal.display_width("\033[31mab\033[0m") == 2
    assert terminal.wrap(ENGLISH, None) == ENGLISH  # not a terminal: nothing wrapped


# 4. Timelines -----------------------------------------------------------------------------------

def test_a_timeline_marks_where_the_call_returned_on_the_axis_of_the_text() -> None:
    bars = [{"label": "sing", "pid": 2, "start": 0.02, "end": 0.11}, timeline.call_bar("sing_and_dance", 1, 0.0, 0.05)]
    rows = timeline.draw(bars, "en")
    assert rows[0].rstrip().endswith("0.11 s")  # the axis reaches the end the text speaks of
    call_row = next(r for r in rows if r.startswith("sing_and_dance() pid 1"))
    mark_row = next(r for r in rows if "returned at 0.05 s" in r)
    last_drawn = call_row.rindex(timeline.BAR)
    assert mark_row.index("^") == last_drawn  # the ^ sits under the last column of the call


def test_the_main_row_is_explained() -> None:
    bars = [{"label": "main", "pid": 1, "start": 0.0, "end": 0.6, "returned": 0.3, "function": "start_worker"},
            {"label": "work", "pid": 2, "start": 0.1, "end": 0.5}]
    for lang, said in (("en", "main: your program's main process"), ("zh", "主进程：你的程序的主进程")):
        rows = timeline.draw(bars, lang)
        assert any(said in r for r in rows) and any("start_worker" in r and "^" in r for r in rows)


# 5. Watch ---------------------------------------------------------------------------------------

def test_the_watch_screen_shows_progress_every_exercise_and_the_current_one_in_full() -> None:
    board = screen.Board([EX01, EX02, EX03])
    board.results = {"ex01": graded(EX01, check("a", True)),
                     "ex02": graded(EX02, check("b", False, message="It returned None."))}
    board.grading, board.current = {"ex03"}, EX02
    text = screen.render(board, "en", 80, colour=False)
    assert text.startswith("Progress: [" + "#" * 13 + "-" * 27 + "] 1/3")
    assert "✔ ex01" in text and "✘ ex02" in text and "ex03  Sing and dance" in text and "grading ..." in text
    assert "It returned None." in text and "h: a hint for ex02" in text
    assert "进度：[" in screen.render(board, "zh", 80, colour=False)


class FakeView:
    """A view that remembers what it was shown."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.summaries: list[str] = []

    def grading(self, board: screen.Board, exercises: list[catalogue.Exercise], saved: bool, seed: int) -> None:
        self.events.append("grading " + " ".join(e.id for e in exercises))

    def graded(self, board: screen.Board, result: ExerciseResult) -> None:
        self.events.append(f"graded {result.exercise.id}")

    def finished(self, board: screen.Board, run: GradeRun) -> None:
        out = io.StringIO()
        console.write_summary(run, out, "en")
        self.summaries.append(out.getvalue())

    def show(self, board: screen.Board) -> None:
        self.events.append("show " + board.message)


class FinishedGrade:
    """A grade that has ended with ``results``."""

    def __init__(self, *results: ExerciseResult) -> None:
        self.exercises = [r.exercise for r in results]
        self.seed = 1
        self._results = {r.exercise.id: r for r in results}

    def results(self) -> dict[str, ExerciseResult]:
        return self._results

    def done(self) -> bool:
        return True

    def problem(self) -> str:
        return ""


def watcher_on(tmp_path: Path, view: FakeView) -> watch.Watcher:
    return watch.Watcher(tmp_path, [EX01, EX02, EX03], [str(tmp_path)], view, lambda: 1, "en", "fork")


def test_watch_moves_on_when_the_current_exercise_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_KIT_STATE", str(tmp_path / "progress.json"))
    view = FakeView()
    watcher = watcher_on(tmp_path, view)
    watcher.running = FinishedGrade(graded(EX01, check("a", True)), graded(EX02, check("b", False)),
                                    graded(EX03, check("c", False)))  # type: ignore[assignment]
    watcher.follow()
    assert watcher.board.current == EX02
    watcher.running = FinishedGrade(graded(EX02, check("b", True)))  # type: ignore[assignment]
    watcher.follow()
    assert watcher.board.current == EX03 and "ex02 passes! On to ex03" in watcher.board.message
    # the summary after grading ex02 alone covers every exercise: never "every exercise graded passes"
    assert "Every exercise graded passes" not in view.summaries[-1] and "Next: ex03" in view.summaries[-1]
    assert "2 passed, 1 failed" in view.summaries[-1]


def test_watch_quits_on_q_shows_a_hint_on_h_and_ignores_other_keys(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_KIT_STATE", str(tmp_path / "progress.json"))
    view = FakeView()
    watcher = watcher_on(tmp_path, view)
    watcher.board.current = EX02
    pressed = iter(["x", "", "h", "?", "q", "never read"])
    watcher.run(lambda timeout: next(pressed), tmp_path)
    assert next(pressed) == "never read"  # q stopped it
    hints_shown = [e for e in view.events if e.startswith("show ")]
    assert len(hints_shown) == 1 and "Hints for ex02" in hints_shown[0]


SLOW = '''
import time

def make_process(target, name):
    time.sleep(120)
'''


def test_a_file_saved_again_during_a_hung_grade_is_graded_at_once(tmp_path: Path) -> None:
    folder = submission_with(tmp_path, "ex01_create_process", CASES / "ex01_create_process" / "forgets_the_name.py")
    watcher = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch", str(folder), "--only", "ex01", "--lang", "en", "--timeout", "100"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=learner_env(tmp_path / "progress.json"))
    try:
        assert watcher.stdout is not None
        lines = iter(watcher.stdout.readline, "")
        assert any("Watching" in line for line in lines)
        (folder / "ex01_create_process.py").write_text(SLOW, encoding="utf-8")
        assert any("saved: ex01_create_process.py" in line for line in lines)
        time.sleep(1)  # the hung grade under way (its time limit is 100 s)
        began = time.monotonic()
        (folder / "ex01_create_process.py").write_text((SOLUTIONS / "ex01_create_process.py").read_text("utf-8"),
                                                       encoding="utf-8")
        assert any("✔ ex01" in line for line in lines)
        assert time.monotonic() - began < 60  # well before the hung grade would have ended
    finally:
        watcher.terminate()
        watcher.wait(timeout=60)


# 6. Hints ---------------------------------------------------------------------------------------

def test_the_first_hint_is_for_the_check_that_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MP_KIT_STATE", str(tmp_path / "progress.json"))
    hints.record(tmp_path, [graded(EX04, check("args", False, key="missing_comma"))])
    text = hints.hint_text(tmp_path, EX04, "en")
    assert 'For the check that failed, "args works": One value in a tuple needs a comma' in text
    assert text.index("For the check") < text.index(EX04.hint(0, "en"))
    hints.record(tmp_path, [graded(EX04, check("args", True))])
    assert "For the check" not in hints.hint_text(tmp_path, EX04, "en")


def test_every_focused_hint_names_a_message_key_the_kit_has() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "grader" / "checks").glob("*.py"))
    sources += (ROOT / "grader" / "messages.py").read_text(encoding="utf-8")
    for exercise in catalogue.EXERCISES:
        for key, en, zh in exercise.focused + catalogue.SHARED_FOCUSED:
            assert f'"{key}"' in sources, f"{exercise.id}: no message key {key!r}"
            assert en and zh and re.search(r"[\u4e00-\u9fff]", zh)


def test_hint_without_an_exercise_means_the_current_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MP_KIT_STATE", str(tmp_path / "progress.json"))
    hints.record(tmp_path, [graded(EX01, check("a", True)), graded(EX02, check("b", False, key="missing_join"))])
    assert cli.main(["hint", str(tmp_path), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "ex02 is the exercise you are on" in printed and "Hints for ex02" in printed
    assert "join() the process before you read exitcode" in printed


def test_every_learner_run_counts_but_ci_and_machine_reports_do_not() -> None:
    assert hints.counted({}) and not hints.counted({"CI": "true"}) and not hints.counted({}, reports=True)


# 7. Names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ex4", "4", "04", "ex04", "EX04", "ex04_task_arguments", "ex04_task_arguments.py",
                                  "exercises/ex04_task_arguments.py", "exercises\\ex04_task_arguments.py"])
def test_an_exercise_is_found_by_every_name_a_learner_types(name: str) -> None:
    assert catalogue.find(name) == EX04


@pytest.mark.parametrize("name", ["ex99", "ex", "ex04_other_name", "copy"])
def test_a_name_of_no_exercise_is_refused(name: str) -> None:
    with pytest.raises(catalogue.UnknownExercise):
        catalogue.find(name)


@pytest.mark.parametrize("given", ["ex04", "exercises/ex04_task_arguments.py"])
def test_an_exercise_where_the_folder_goes_suggests_only(given: str, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main([given, "--lang", "en"]) == cli.EXIT_USAGE
    assert "--only ex04" in capsys.readouterr().err


def test_a_passed_exercise_graded_alone_says_what_is_next() -> None:
    lines = console.what_next(GradeRun("exercises", "fork", 1, [graded(EX01, check("a", True))]), "en")
    assert "Next: ex02" in lines[1] and "--only ex02" in lines[2]
    last = catalogue.EXERCISES[-1]
    around = console.what_next(GradeRun("exercises", "fork", 1, [graded(last, check("a", True))]), "en")
    assert "Next: ex01" in around[1]  # after the last exercise: the first one not graded


# 8. README --------------------------------------------------------------------------------------

def test_the_readme_gives_learners_two_commands_and_never_the_kits_own_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    learners = readme[:readme.index("## For teachers")]
    assert "pip install nox" in learners and "nox -s grade" in learners and "nox -s watch" in learners
    assert "nox -s tests" not in learners and "pytest" not in learners.replace("pytest-timeout", "").replace(
        "(pytest,", "")


def test_watch_log_view_prints_a_hint_once(tmp_path: Path) -> None:
    out = io.StringIO()
    view = watch_log.LogView(out, "exercises", "fork", "en", word("en", "stop_ctrl_c"), focus=False)
    board = screen.Board([EX01], message="a hint")
    view.show(board)
    view.show(board)
    assert out.getvalue() == "a hint\n"


def test_watch_at_a_terminal_redraws_the_screen_and_moves_on_when_the_exercise_passes(tmp_path: Path) -> None:
    folder = submission_with(tmp_path, "ex01_create_process", CASES / "ex01_create_process" / "forgets_the_name.py")
    shutil.copyfile(EXERCISES / "ex02_start_vs_run.py", folder / "ex02_start_vs_run.py")
    leader, follower = open_terminal()
    watcher = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch", str(folder), "--only", "ex01", "--only", "ex02", "--lang", "en"],
        cwd=ROOT, stdin=follower, stdout=follower, stderr=follower, env=learner_env(tmp_path / "progress.json"))
    os.close(follower)
    screen_text = ScreenReader(leader)
    try:
        before = screen_text.until("· ex02")  # both graded
        before = before[before.rindex(screen.CLEAR):] + screen_text.until("h: a hint for ex01")
        assert screen.CLEAR in before and "Progress: [" in before and "] 0/2" in before
        assert "✘ ex01" in before and "· ex02" in before and "name=name" in before  # ex01 in full
        (folder / "ex01_create_process.py").write_text(
            (SOLUTIONS / "ex01_create_process.py").read_text(encoding="utf-8"), encoding="utf-8")
        after = screen_text.until("h: a hint for ex02")
        last = after[after.rindex(screen.CLEAR):]  # the screen as it is now
        assert "] 1/2" in last and "✔ ex01" in last and "ex01 passes! On to ex02" in last
        os.write(leader, b"q")
        assert watcher.wait(timeout=60) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
        os.close(leader)


class ScreenReader:
    """What a program writes to a terminal, read as it comes."""

    def __init__(self, leader: int) -> None:
        self.leader, self.seen, self.cursor = leader, "", 0

    def until(self, text: str, timeout: float = 120) -> str:
        """What was written after the text last waited for, up to and including ``text``."""
        deadline = time.monotonic() + timeout
        while (found := self.seen.find(text, self.cursor)) < 0:
            ready, _, _ = select.select([self.leader], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"never shown: {text!r}\n{self.seen[-2000:]}"
            self.seen += os.read(self.leader, 65536).decode("utf-8", errors="replace")
        start, self.cursor = self.cursor, found + len(text)
        return self.seen[start:self.cursor]
