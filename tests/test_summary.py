"""What a teacher takes away from the gradebook: the exports (a CSV Excel and LibreOffice read right, one
results.json per learner, a console table that lines up Chinese names) and the class summary (how many
passed each exercise, the most frequent mistakes and who made them) on the console, as CSV and as one
HTML page, checked in the programs that read them: LibreOffice and a headless Chromium."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import catalogue, messages
from grader.reports import version3
from grader.results import CheckResult, ExerciseResult, GradeRun, read_run
from grader.teacher import export, page, summary
from grader.teacher.gradebook import Row, Settings

from .conftest import CASES, ROOT, SOLUTIONS

SEED = 4242
HOSTILE_NAME = '<script>document.title="pwned"</script>=HYPERLINK("x")'
# Each learner's files: (source, module) pairs, graded with --only ex01 --only ex03.
CLASS = {
    "alice": [(SOLUTIONS / "ex01_create_process.py", "ex01_create_process"),
              (SOLUTIONS / "ex03_multitasking.py", "ex03_multitasking")],
    "张三": [(CASES / "ex01_create_process" / "forgets_the_name.py", "ex01_create_process"),
            (CASES / "ex03_multitasking" / "missing_join.py", "ex03_multitasking")],
    "李四": [(CASES / "ex01_create_process" / "forgets_the_name.py", "ex01_create_process")],
    HOSTILE_NAME: [(CASES / "ex03_multitasking" / "missing_join.py", "ex03_multitasking")],
}
ONLY = ["--only", "ex01", "--only", "ex03"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, GradeRun]]:
    """The class graded for real, one grader per learner, each leaving its record (as the gradebook reads them)."""
    root = tmp_path_factory.mktemp("class")
    graders = []
    for index, (name, files) in enumerate(CLASS.items()):
        folder = root / f"learner{index}"
        folder.mkdir()
        for source, module in files:
            shutil.copyfile(source, folder / f"{module}.py")
        record = root / f"learner{index}.json"
        command = [sys.executable, "-m", "grader", str(folder), "--seed", str(SEED), "--lang", "en",
                   "--record", str(record), *ONLY]
        graders.append((name, record, subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)))
    found = []
    for name, record, grader in graders:
        assert grader.wait(timeout=600) in (0, 1)
        found.append((name, read_run(record)))
    return found


def test_the_summary_counts_who_passed_and_who_made_each_mistake(runs: list[tuple[str, GradeRun]]) -> None:
    made = summary.summarize(runs)
    assert made.learners == list(CLASS)
    tallies = {t.exercise.module: t for t in made.exercises}
    assert tallies["ex01_create_process"].passed == ["alice"]
    assert sorted(tallies["ex01_create_process"].failed) == sorted(["张三", "李四"])
    assert tallies["ex01_create_process"].not_started == [HOSTILE_NAME]
    assert tallies["ex03_multitasking"].passed == ["alice"]
    assert tallies["ex03_multitasking"].not_started == ["李四"]
    by_key = {(m.exercise.id, m.key): m for m in made.mistakes}
    assert by_key[("ex01", "wrong_name")].learners == ["张三", "李四"]
    three = [m for m in made.mistakes if m.exercise.id == "ex03"]
    assert three and all(m.learners == ["张三", HOSTILE_NAME] for m in three)
    counts = [m.count for m in made.mistakes]
    assert counts[0] == 2 and counts == sorted(counts, reverse=True)
    # Not started is not a mistake to explain on Monday.
    assert not {m.key for m in made.mistakes} & {"missing_module", "untouched", "not_checked"}
    assert "expected" in by_key[("ex01", "wrong_name")].example["en"]


def test_the_summary_on_the_console_lists_each_exercise_and_the_top_mistakes(runs: list[tuple[str, GradeRun]]) -> None:
    out = io.StringIO()
    summary.write_console(summary.summarize(runs), out, "en")
    text = out.getvalue()
    assert re.search(r"ex01_create_process\s+passed\s+1\s+failed\s+2\s+not started\s+1", text), text
    assert re.search(r"2 × ex01 wrong_name: 张三, 李四", text), text
    assert "<script>" in text  # the console prints the name as it is, without control characters


def test_the_summary_csv_opens_as_a_table(runs: list[tuple[str, GradeRun]], tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"
    summary.write_summary_csv(summary.summarize(runs), path, "zh")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == summary.CSV_HEADER
    assert ["ex01_create_process", "passed", "1", "4", "", "alice", ""] in rows
    mistake = next(r for r in rows if r[:2] == ["ex01_create_process", "wrong_name"])
    assert mistake[2:4] == ["2", "4"] and mistake[5] == "张三; 李四" and "预期" in mistake[6]
    assert not any(cell.startswith(export.FORMULA_STARTS) for row in rows for cell in row)


# --- the gradebook's exports ----------------------------------------------------------------------------


def settings() -> Settings:
    return Settings([catalogue.find("ex01")], SEED, "fork", "en", 15.0, 60.0)


def rows() -> list[Row]:
    module = "ex01_create_process"
    return [Row("张三", {"output": "", "tests": []}, {module: 4}, {module: 4}),
            Row("alice", {"output": "", "tests": []}, {module: 1}, {module: 4}, ["-1 points: see the note"]),
            Row('=HYPERLINK("http://example.com","click")', {"output": "", "tests": []}, {module: 0}, {module: 4}),
            Row("+cmd|' /C calc'!A0", {"output": "", "tests": []}, {module: 0}, {module: 4}),
            Row("\tTabbed", {"output": "", "tests": []}, {module: 0}, {module: 4})]


def test_the_gradebook_csv_has_a_bom_and_no_cell_that_starts_like_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "grades.csv"
    export.write_csv(rows(), path, settings())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsubmission,")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == export.csv_header(settings().exercises)
    names = [row[0] for row in table[1:]]
    assert names == ["张三", "alice", "'=HYPERLINK(\"http://example.com\",\"click\")", "'+cmd|' /C calc'!A0", "'\tTabbed"]
    assert table[2][-1] == "'-1 points: see the note"
    assert not any(cell.startswith(export.FORMULA_STARTS) for row in table for cell in row)


def test_the_gradebook_csv_reads_right_in_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-calc): the CSV was read by "
                    "Python's csv module only")
    path = tmp_path / "grades.csv"
    export.write_csv(rows(), path, settings())
    # Headless, LibreOffice does not look for the BOM (its import dialog does, as Excel does): it is told
    # UTF-8 (76) as a teacher picks it in that dialog, and must then drop the BOM and not evaluate formulas.
    done = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--infilter=CSV:44,34,76", "--convert-to", "html", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180)
    converted = tmp_path / "grades.html"
    assert converted.exists(), done.stdout + done.stderr
    cells = [html_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", converted.read_text(encoding="utf-8"),
                                                   re.S)]
    assert cells[0] == "submission"  # the BOM is not part of the first cell
    assert "张三" in cells
    assert "'=HYPERLINK(\"http://example.com\",\"click\")" in cells  # text, not a link LibreOffice made
    assert "click" not in cells


def html_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def test_the_json_dir_names_each_file_safely(tmp_path: Path) -> None:
    row = Row("../../evil", {"output": "graded", "tests": []}, {}, {}, ["a note"])
    export.write_json_dir([row], tmp_path / "reports")
    written = list((tmp_path / "reports").iterdir())
    assert [p.name for p in written] == [".._.._evil.json"]
    assert json.loads(written[0].read_text(encoding="utf-8"))["output"] == "a note\ngraded"


def test_the_console_table_lines_up_chinese_names() -> None:
    out = io.StringIO()
    table = rows()[:2] + [Row("王小明同学", {"output": "", "tests": []}, {"ex01_create_process": 2},
                              {"ex01_create_process": 4})]
    export.write_table(table, settings(), out)
    lines = [line for line in out.getvalue().splitlines() if not line.lstrip().startswith("- ")]
    # Where each line's points start, in terminal columns: the same for every line.
    columns = {export.display_width(line[:line.index("/") - 2]) for line in lines[1:]}
    assert len(columns) == 1, out.getvalue()
    assert export.display_width("张三") == 4 and export.display_width("é") == 1


def test_the_console_table_shows_control_characters_in_a_name() -> None:
    out = io.StringIO()
    export.write_table([Row("evil\x1b[2J", {"output": "", "tests": []}, {"ex01_create_process": 0},
                            {"ex01_create_process": 4})], settings(), out)
    assert "\x1b" not in out.getvalue() and "evil␛[2J" in out.getvalue()


# --- the class page ---------------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium): the page was not opened in a browser")
    return found


def browse(browser: str, page_file: Path, tmp_path: Path, *what: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *what,
                           page_file.as_uri()], capture_output=True, text=True, timeout=120)


def test_the_class_page_is_one_file_that_escapes_what_learners_control(runs: list[tuple[str, GradeRun]],
                                                                        tmp_path: Path) -> None:
    text = page.page(summary.summarize(runs), runs, "en")
    assert "<script" not in text.replace("&lt;script", "")
    assert html_escaped(HOSTILE_NAME) in text
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)  # nothing fetched
    assert text.count("<svg") >= 2  # the ex03 timelines, drawn


def html_escaped(text: str) -> str:
    return html.escape(text, quote=True)


def test_the_class_page_opens_in_chromium_and_shows_every_learner_and_the_top_mistakes(
        runs: list[tuple[str, GradeRun]], tmp_path: Path) -> None:
    browser = chromium()
    made = summary.summarize(runs)
    page_file = tmp_path / "class.html"
    page.write_html(made, runs, page_file, "en")

    shown = browse(browser, page_file, tmp_path, "--dump-dom")
    assert shown.returncode == 0, shown.stderr[-2000:]
    dom = shown.stdout
    assert "<title>Gradebook: 4 learner(s)</title>" in dom  # the learner's <script> never ran
    class_table = dom[dom.index('id="class"'):dom.index('id="mistakes"')]
    for name in CLASS:
        assert html_escaped(name).replace("&quot;", '"').replace("&#x27;", "'") in class_table, name
    top = dom[dom.index('id="mistakes"'):dom.index('id="learners"')]
    assert "wrong_name" in top and "张三, 李四" in top
    assert top.index("wrong_name") < top.index("</li>")  # the most frequent first
    assert dom.count("<svg") >= 2 and dom.count('class="check failed"') >= 4

    screenshot = tmp_path / "class.png"
    shot = browse(browser, page_file, tmp_path, f"--screenshot={screenshot}", "--window-size=1200,2400")
    assert screenshot.exists() and screenshot.stat().st_size > 10_000, shot.stderr[-2000:]
    print(f"screenshot of the class page: {screenshot}")


def test_the_gradebook_writes_the_summary_after_its_table_and_as_csv_and_page(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    for name, source in (("alice", SOLUTIONS / "ex01_create_process.py"),
                         ("王小明", CASES / "ex01_create_process" / "forgets_the_name.py")):
        (folder / name).mkdir(parents=True)
        shutil.copyfile(source, folder / name / "ex01_create_process.py")
    grades, mistakes, class_page = tmp_path / "grades.csv", tmp_path / "mistakes.csv", tmp_path / "class.html"
    done = subprocess.run([sys.executable, "-m", "grader", "gradebook", str(folder), "--only", "ex01", "--lang", "en",
                           "--seed", str(SEED), "--csv", str(grades), "--summary-csv", str(mistakes),
                           "--html", str(class_page)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    table_at = done.stdout.index("王小明")
    assert done.stdout.index("What the class got wrong (2 learner(s))") > table_at
    assert re.search(r"2 × ex01 wrong_name|1 × ex01 wrong_name: 王小明", done.stdout), done.stdout
    assert grades.read_bytes().startswith(b"\xef\xbb\xbf") and mistakes.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(mistakes.read_text(encoding="utf-8-sig"))))
    assert ["ex01_create_process", "passed", "1", "2", "", "alice", ""] in rows
    assert any(r[:3] == ["ex01_create_process", "wrong_name", "1"] and r[5] == "王小明" for r in rows)
    text = class_page.read_text(encoding="utf-8")
    assert "王小明" in text and "alice" in text and "wrong_name" in text


@pytest.mark.parametrize("table", [summary.TEXT, page.TEXT, version3.TEXT], ids=["summary", "page", "version3"])
def test_the_teachers_texts_exist_in_both_languages_with_the_same_placeholders(table: dict) -> None:
    for key, texts in table.items():
        assert set(texts) == set(messages.LANGS), key
        assert messages.placeholders(texts["en"]) == messages.placeholders(texts["zh"]), key


def test_the_page_escapes_a_learners_message_and_process_labels() -> None:
    exercise = catalogue.find("ex03")
    hostile = '</pre><img src=x onerror="alert(1)">\x1b[31m'
    check = CheckResult("test_x", {"en": "a check", "zh": "一项检查"}, 2, False,
                        {"key": "returned_early", "values": {}, "en": hostile, "zh": hostile},
                        timelines=[[{"label": "<b>sing</b>", "pid": 7, "start": 0.0, "end": 0.5},
                                    {"label": "main", "pid": 1, "start": 0.0, "end": 0.1}]])
    run = GradeRun("x", "spawn", 1, [ExerciseResult(exercise, [check])])
    text = page.page(summary.summarize([("bob", run)]), [("bob", run)], "zh")
    assert "<img" not in text and "<b>sing" not in text and "\x1b" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;␛[31m" in text
    assert "&lt;b&gt;sing&lt;/b&gt; (pid 7)" in text and "主进程 (pid 1)" in text
