"""The intake reads each LMS's export as that LMS writes it: one learner, one row, named after the learner.

The layout tests stage files and grade nothing (fast); the class tests grade ``--only ex01`` and
compare every row with the same files graded alone.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from grader.teacher import intake, layouts

from .conftest import CASES, EXERCISES, ROOT, SOLUTIONS

MODULE = "ex01_create_process"
FILE = f"{MODULE}.py"
SEED = 5151
SOLVED = (SOLUTIONS / FILE).read_bytes()
STUB = (EXERCISES / FILE).read_bytes()
MISTAKE = (CASES / MODULE / "forgets_the_name.py").read_bytes()


def write(path: Path, data: bytes | str = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def zipped(members: dict[str, bytes]) -> bytes:
    archive = Path(f"/tmp/intake-{uuid.uuid4().hex}.zip")
    try:
        with zipfile.ZipFile(archive, "w") as out:
            for name, data in members.items():
                out.writestr(name, data)
        return archive.read_bytes()
    finally:
        archive.unlink(missing_ok=True)


def staged(tmp_path: Path, given: Path) -> intake.Intake:
    scratch = tmp_path / f"scratch-{uuid.uuid4().hex[:6]}"
    scratch.mkdir()
    return intake.take_in(given, scratch, "en")


def by_name(found: intake.Intake) -> dict[str, intake.Submission]:
    return {s.name: s for s in found.submissions}


# Recognising names ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, is_dir, layout, fields", [
    ("chenjing_34567_98765_ex01_create_process.py", False, "Canvas", {"name": "chenjing", "id": "34567"}),
    ("chenjing_late_34567_98765_ex01_create_process.py", False, "Canvas", {"late": "_late", "file": FILE}),
    ("chenjing_LATE_34567_98765_ex01_create_process.py", False, "Canvas", {"late": "_LATE", "id": "34567"}),
    ("anon_Xk3p9_98765_ex01_create_process.py", False, "Canvas", {"anon": "anon_Xk3p9", "file": FILE}),
    ("chenjing_34567_text.html", False, "Canvas", {"id": "34567", "text": "text"}),
    ("Jing Chen_1234567_assignsubmission_file_", True, "Moodle", {"name": "Jing Chen", "plugin": "assignsubmission_file"}),
    ("Jing Chen_1234567_assignsubmission_onlinetext_", True, "Moodle", {"plugin": "assignsubmission_onlinetext"}),
    ("Jing Chen_1234567_assignfeedback_file_", True, "Moodle", {"kind": "feedback"}),
    ("Jing Chen_1234567_assignsubmission_file_ex01_create_process.py", False, "Moodle", {"file": FILE}),
    ("Homework 1_chenjing_attempt_2026-11-30-15-00-00_ex01_create_process.py", False, "Blackboard",
     {"assignment": "Homework 1", "id": "chenjing", "file": FILE}),
    ("Homework 1_chenjing_attempt_2026-11-30-15-00-00.txt", False, "Blackboard", {"receipt": ".txt"}),
])
def test_each_lms_names_its_files_its_own_way(name: str, is_dir: bool, layout: str, fields: dict[str, str]) -> None:
    found = layouts.recognise(name, is_dir)
    assert found is not None and found[0] == layout
    assert {key: found[1][key] for key in fields} == fields


@pytest.mark.parametrize("name, is_dir", [
    ("alice", True), ("alice.zip", False), (FILE, False), ("roster.csv", False),
    ("mp-homework-alice", True), ("Jing Chen_1234567_assignsubmission_file_", False),
])
def test_plain_names_are_no_lms_layout(name: str, is_dir: bool) -> None:
    assert layouts.recognise(name, is_dir) is None


def test_a_whole_export_zip_is_told_from_one_learners_zip() -> None:
    canvas = ["chenjing_34567_98765_ex01_create_process.py", "wangwei_34568_98766_hw.zip"]
    moodle = ["Jing Chen_12_assignsubmission_file_/hw.zip", "Wei Wang_13_assignsubmission_onlinetext_/onlinetext.html"]
    assert layouts.looks_like_export(canvas, alone=False)
    assert layouts.looks_like_export(["export/" + n for n in moodle], alone=False)
    assert layouts.looks_like_export(["alice/" + FILE, "bob/" + FILE], alone=True)
    assert not layouts.looks_like_export(["alice/" + FILE, "bob/" + FILE], alone=False)
    assert not layouts.looks_like_export([FILE, "README.md"], alone=True)
    assert not layouts.looks_like_export(["hw/" + FILE, "hw/notes.txt"], alone=True)
    assert not layouts.looks_like_export(["kit/exercises/" + FILE, "kit/solutions/" + FILE], alone=True)


# Staging each layout (nothing graded) ------------------------------------------------------------

def test_canvas_flat_files_make_one_learner_each(tmp_path: Path) -> None:
    folder = tmp_path / "canvas"
    write(folder / f"chenjing_late_34567_98765_{FILE}", SOLVED)
    write(folder / "chenjing_late_34567_98765_notes.txt", "hi")
    write(folder / f"wangwei_34568_98766_{FILE}", STUB)
    write(folder / "wangwei_34568_98766_ex01_create_process-1.py", SOLVED)
    write(folder / "zhangsan_34569_98767_hw.zip", zipped({"hw/" + FILE: MISTAKE}))
    found = staged(tmp_path, folder)
    learners = by_name(found)
    assert sorted(learners) == ["chenjing", "wangwei", "zhangsan"]
    assert (learners["chenjing"].modules / FILE).read_bytes() == SOLVED
    assert any("late" in n for n in learners["chenjing"].notes)
    assert (learners["wangwei"].modules / FILE).read_bytes() == SOLVED
    assert any("re-upload" in n for n in learners["wangwei"].notes)
    assert (learners["zhangsan"].modules / FILE).read_bytes() == MISTAKE
    assert any("unpacked hw.zip" in n for n in learners["zhangsan"].notes)
    assert found.not_graded == [] and found.ignored == []


def test_canvas_text_entries_and_anonymous_grading(tmp_path: Path) -> None:
    folder = tmp_path / "canvas"
    write(folder / "chenjing_34567_text.html", "<p>my answer is in the text box</p>")
    write(folder / f"anon_Xk3p9_98765_{FILE}", SOLVED)
    write(folder / f"LATE_anon_Qw7z2_98766_{FILE}", MISTAKE)
    found = staged(tmp_path, folder)
    learners = by_name(found)
    assert sorted(learners) == ["anon_Qw7z2", "anon_Xk3p9"]
    assert any("late" in n for n in learners["anon_Qw7z2"].notes)
    assert [name for name, _ in found.not_graded] == ["chenjing"]


def test_an_export_zipped_inside_its_folder_is_unwrapped(tmp_path: Path) -> None:
    archive = write(tmp_path / "hw.zip", zipped({f"CS101 hw submissions/chenjing_1_10_{FILE}": SOLVED,
                                                 f"CS101 hw submissions/wangwei_2_20_{FILE}": STUB}))
    assert sorted(by_name(staged(tmp_path, archive))) == ["chenjing", "wangwei"]


def test_moodle_flat_files_without_folders(tmp_path: Path) -> None:
    folder = tmp_path / "moodle"
    write(folder / f"Jing Chen_101_assignsubmission_file_{FILE}", SOLVED)
    write(folder / "Jing Chen_101_assignsubmission_file_ex02_start_vs_run.py", STUB)
    learners = by_name(staged(tmp_path, folder))
    assert sorted(p.name for p in learners["Jing Chen"].modules.iterdir()) == [FILE, "ex02_start_vs_run.py"]


def test_moodle_folders_fold_into_their_learner(tmp_path: Path) -> None:
    folder = tmp_path / "moodle"
    write(folder / "Jing Chen_101_assignsubmission_file_" / "hw.zip", zipped({"作业/" + FILE: SOLVED}))
    write(folder / "Jing Chen_101_assignsubmission_onlinetext_" / "onlinetext.html", "<p>done</p>")
    write(folder / "Jing Chen_101_assignfeedback_file_" / "marked.pdf", b"%PDF")
    write(folder / "Wei Wang_102_assignsubmission_onlinetext_" / "onlinetext.html", "<p>I could not upload</p>")
    write(folder / "San Zhang_103_assignsubmission_file_" / FILE, MISTAKE)
    found = staged(tmp_path, folder)
    learners = by_name(found)
    assert sorted(learners) == ["Jing Chen", "San Zhang"]
    assert (learners["Jing Chen"].modules / FILE).read_bytes() == SOLVED
    notes = " | ".join(learners["Jing Chen"].notes)
    assert "unpacked hw.zip" in notes and "online text" in notes and "assignfeedback_file" in notes
    assert learners["San Zhang"].modules == learners["San Zhang"].files
    assert [name for name, _ in found.not_graded] == ["Wei Wang"]


def test_blackboard_keeps_the_latest_attempt_and_reads_the_receipt(tmp_path: Path) -> None:
    folder = tmp_path / "bb"
    old, new = "2026-11-29-10-00-00", "2026-11-30-15-00-00"
    write(folder / f"Homework 1_chenjing_attempt_{old}_{FILE}", STUB)
    write(folder / f"Homework 1_chenjing_attempt_{old}.txt", "Name: Jing Chen (chenjing)\n")
    write(folder / f"Homework 1_chenjing_attempt_{new}_{FILE}", SOLVED)
    write(folder / f"Homework 1_chenjing_attempt_{new}.txt", "Name: Jing Chen (chenjing)\nAssignment: Homework 1\n")
    write(folder / f"Homework 1_wangwei_attempt_{new}_{FILE}", MISTAKE)
    write(folder / f"Homework 1_lisi_attempt_{new}.txt", "Name: Si Li (lisi)\nSubmission Field:\nsee my code\n")
    found = staged(tmp_path, folder)
    learners = by_name(found)
    assert sorted(learners) == ["chenjing", "wangwei"] and [name for name, _ in found.not_graded] == ["lisi"]
    assert (learners["chenjing"].modules / FILE).read_bytes() == SOLVED
    notes = " | ".join(learners["chenjing"].notes)
    assert old in notes and "Jing Chen (chenjing)" in notes


def test_classroom_repositories_are_named_after_the_username(tmp_path: Path) -> None:
    folder = tmp_path / "mp-homework-submissions"
    for user, data in (("alice", SOLVED), ("jing-chen", MISTAKE)):
        repo = folder / f"mp-homework-{user}"
        write(repo / ".git" / "HEAD", "ref: refs/heads/main\n")
        write(repo / "exercises" / FILE, data)
        write(repo / "solutions" / FILE, SOLVED)  # the kit's own folder: not what is graded
        write(repo / "exercises" / "ex02_start_vs_run.py", STUB)
        write(repo / "solutions" / "ex02_start_vs_run.py", STUB)
    learners = by_name(staged(tmp_path, folder))
    assert sorted(learners) == ["alice", "jing-chen"]
    assert learners["jing-chen"].modules.name == "exercises"
    assert (learners["jing-chen"].modules / FILE).read_bytes() == MISTAKE
    assert not list(learners["alice"].files.rglob(".git"))


def test_a_download_all_zip_in_the_folder_or_as_dir_is_the_whole_class(tmp_path: Path) -> None:
    members = {f"Jing Chen_101_assignsubmission_file_/{FILE}": SOLVED,
               f"Wei Wang_102_assignsubmission_file_/{FILE}": MISTAKE}
    folder = tmp_path / "class"
    write(folder / "CS101-Homework 1-42.zip", zipped(members))
    for given in (folder, folder / "CS101-Homework 1-42.zip"):
        found = staged(tmp_path, given)
        assert sorted(by_name(found)) == ["Jing Chen", "Wei Wang"]
        assert found.expanded == ["CS101-Homework 1-42.zip"]


def test_a_learners_zips_share_one_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "MAX_ZIP_BYTES", 3 * len(SOLVED) // 2)
    folder = tmp_path / "moodle"
    write(folder / "Jing Chen_101_assignsubmission_file_" / "a.zip", zipped({FILE: SOLVED}))
    write(folder / "Jing Chen_101_assignsubmission_file_" / "b.zip", zipped({"ex02_start_vs_run.py": SOLVED}))
    learner = by_name(staged(tmp_path, folder))["Jing Chen"]
    notes = " | ".join(learner.notes)
    assert "unpacked a.zip" in notes and "could not unpack b.zip" in notes and "unpacks to more than" in notes
    assert (learner.modules / FILE).read_bytes() == SOLVED and not (learner.modules.parent / "b").exists()


@pytest.mark.parametrize("name, folder", [("Jing Chen", "Jing Chen"), ('a:b*c?"d', "a_b_c__d"), ("dots. ", "dots"),
                                          ("..", "submission"), ("张三", "张三")])
def test_a_learners_name_is_a_folder_name_everywhere(name: str, folder: str) -> None:
    assert intake.folder_name(name) == folder


def test_two_learners_of_one_name_keep_apart(tmp_path: Path) -> None:
    folder = tmp_path / "canvas"
    write(folder / f"chenjing_1_10_{FILE}", SOLVED)
    write(folder / f"chenjing_2_20_{FILE}", STUB)
    assert sorted(by_name(staged(tmp_path, folder))) == ["chenjing (1)", "chenjing (2)"]


def test_plain_folders_and_zips_are_as_before(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    write(folder / "alice" / FILE, SOLVED)
    write(folder / "alice.zip", zipped({FILE: SOLVED}))
    write(folder / "bob.zip", zipped({"bob-main/exercises/" + FILE: MISTAKE, "__MACOSX/._x": b"\0"}))
    write(folder / "rar.zip", b"Rar!\x1a\x07\x01\x00" + b"\0" * 32)
    write(folder / FILE, SOLVED)
    write(folder / "roster.txt", "alice\n")
    found = staged(tmp_path, folder)
    learners = by_name(found)
    assert sorted(learners) == ["alice", "alice.zip", "bob", "rar"]
    assert learners["bob"].modules.relative_to(learners["bob"].files).as_posix() == "bob-main/exercises"
    assert learners["rar"].problem is not None and learners["rar"].problem.values == {"name": "rar.zip", "kind": "RAR"}
    assert found.ignored == ["roster.txt"] and [name for name, _ in found.not_graded] == [FILE]


# Whole classes, graded ---------------------------------------------------------------------------

def gradebook(given: Path, table: Path, reports: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", "gradebook", str(given), "--only", "ex01", "--seed",
                           str(SEED), "--lang", "en", "--jobs", "2", "--csv", str(table), "--json-dir", str(reports)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def alone(folder: Path, tmp: Path) -> list[tuple[str, str, int]]:
    report = tmp / f"alone-{uuid.uuid4().hex}.json"
    done = subprocess.run([sys.executable, "-m", "grader", str(folder), "--json", str(report), "--only", "ex01",
                           "--seed", str(SEED), "--lang", "en"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return [(t["name"], t["status"], t["score"]) for t in json.loads(report.read_text(encoding="utf-8"))["tests"]]


def rows(table: Path) -> dict[str, dict[str, str]]:
    with open(table, encoding="utf-8-sig", newline="") as stream:
        return {row["submission"]: row for row in csv.DictReader(stream)}


def test_three_layouts_each_row_scores_what_its_files_score_alone(tmp_path: Path) -> None:
    # One export of each layout the issue names, in one folder: Canvas flat files, Moodle folders
    # (an uploaded zip, an online-text-only learner) and a whole download-all zip.
    folder = tmp_path / "class"
    write(folder / f"chenjing_late_34567_98765_{FILE}", SOLVED)
    write(folder / f"wangwei_34568_98766_{FILE}", MISTAKE)
    write(folder / "San Zhang_103_assignsubmission_file_" / "hw.zip", zipped({"hw/" + FILE: STUB}))
    write(folder / "Li Si_104_assignsubmission_onlinetext_" / "onlinetext.html", "<p>see attached</p>")
    write(folder / "download-all.zip", zipped({f"Wu Fang_105_assignsubmission_file_/{FILE}": MISTAKE,
                                               f"Zhou Min_106_assignsubmission_file_/{FILE}": SOLVED}))
    table, reports = tmp_path / "grades.csv", tmp_path / "reports"
    done = gradebook(folder, table, reports)
    assert done.returncode == 3, done.stdout + done.stderr  # Li Si's files were found and not graded
    assert "NOT GRADED" in done.stdout and "Li Si: submitted only online text" in done.stdout
    got = rows(table)
    assert sorted(got) == ["San Zhang", "Wu Fang", "Zhou Min", "chenjing", "wangwei"]
    expected = {"chenjing": SOLVED, "wangwei": MISTAKE, "San Zhang": STUB, "Wu Fang": MISTAKE, "Zhou Min": SOLVED}
    for name, data in expected.items():
        single = write(tmp_path / "alone" / name / FILE, data).parent
        book = json.loads((reports / f"{name}.json").read_text(encoding="utf-8"))
        assert [(t["name"], t["status"], t["score"]) for t in book["tests"]] == alone(single, tmp_path), name
        assert int(got[name]["score"]) == book["score"], name
    assert got["chenjing"]["score"] == "4" and got["San Zhang"]["score"] == "0"
    assert 0 < int(got["wangwei"]["score"]) < 4


def test_blackboard_and_classroom_grade_as_alone_and_exit_0(tmp_path: Path) -> None:
    folder = tmp_path / "hw-submissions"
    stamp = "2026-11-30-15-00-00"
    write(folder / f"hw_chenjing_attempt_{stamp}_{FILE}", SOLVED)
    write(folder / f"hw_chenjing_attempt_{stamp}.txt", "Name: Jing Chen (chenjing)\n")
    for user, data in (("alice", MISTAKE), ("bob", SOLVED)):
        write(folder / f"hw-{user}" / ".git" / "HEAD", "ref: refs/heads/main\n")
        write(folder / f"hw-{user}" / "exercises" / FILE, data)
    table, reports = tmp_path / "grades.csv", tmp_path / "reports"
    done = gradebook(folder, table, reports)
    assert done.returncode == 0, done.stdout + done.stderr
    got = rows(table)
    assert sorted(got) == ["alice", "bob", "chenjing"]
    assert got["chenjing"]["score"] == got["bob"]["score"] == "4" and int(got["alice"]["score"]) < 4
    for name, data in (("chenjing", SOLVED), ("alice", MISTAKE), ("bob", SOLVED)):
        single = write(tmp_path / "alone" / name / FILE, data).parent
        book = json.loads((reports / f"{name}.json").read_text(encoding="utf-8"))
        assert [(t["name"], t["status"], t["score"]) for t in book["tests"]] == alone(single, tmp_path), name


def test_nothing_of_the_export_is_written_to(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    write(folder / "download-all.zip", zipped({f"chenjing_1_10_{FILE}": SOLVED}))
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    done = gradebook(folder / "download-all.zip", tmp_path / "g.csv", tmp_path / "r")
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(tmp_path / "g.csv")["chenjing"]["score"] == "4"
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    shutil.rmtree(tmp_path / "r")


def test_a_dir_that_is_a_broken_zip_is_exit_status_2(tmp_path: Path) -> None:
    fake = write(tmp_path / "download-all.zip", b"Rar!\x1a\x07\x01\x00" + b"\0" * 32)
    done = subprocess.run([sys.executable, "-m", "grader", "gradebook", str(fake), "--only", "ex01", "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "download-all.zip is not a zip archive (it is a RAR file)" in done.stderr
