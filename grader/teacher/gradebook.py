"""The gradebook: ``python -m grader gradebook DIR [options]`` grades a whole class.

Every subfolder of DIR and every ``.zip`` file in it is one submission, named by its file name (a
zip without its ``.zip``). Each is copied or extracted into a private temporary folder (nothing in
DIR is ever written), the folder that holds its ``exNN_*.py`` modules is found (a zip often has them
in a subfolder), and it is graded by ``python -m grader`` in a process session of its own, with the
gradebook's seed and options: so a submission gets exactly the grade it gets alone, and whatever it
does (hang, die, kill or stop its grader) shows in its own row only. A submission that cannot be
read (not a zip, a broken zip) gets a row that says why, with every check failed.

Exit status: 0 every submission has its row, 2 the gradebook could not be made (DIR missing, no
submission in it, an output inside DIR, the grader's own checks missing), 130 Ctrl-C (143 SIGTERM,
129 SIGHUP): every grader is stopped and no gradebook is written.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO

import psutil

from grader import KIT_ROOT, catalogue, messages
from grader.catalogue import Exercise
from grader.grading import cleanup, runner, worker
from grader.reports import gradescope
from grader.reports.files import write_text_atomically
from grader.results import CheckResult, ExerciseResult, GradeRun

EXIT_DONE, EXIT_USAGE = 0, 2

# Submissions graded at once. Measured on this kit's 2-core machine, 30 copies of the solutions,
# other work running beside (load average 10-30): ex01-ex08 and ex11, --jobs 1 253 s, --jobs 2 158 s;
# all eleven, --jobs 1 383 s, --jobs 2 304 s; every row full marks each time. Yet a second grader
# keeps the cores busy, and on busy cores ex11's speed-up check cannot measure: it gives its points
# with a "machine busy" note, so a submission that is not faster for a reason of its own (it fails
# alone on free cores) can pass in the gradebook. One at a time is the fastest setting that never
# changes a grade.
DEFAULT_JOBS = 1
DEFAULT_JOBS_NOTE = "1; more is faster, but keeps the cores busy, so ex11 cannot measure its speed-up"

# Folders and files of a submission that are never copied: caches, tools' folders, macOS zip debris.
# Bytecode is skipped on purpose: a .pyc that does not match its source must not be what is graded.
JUNK = ("__pycache__", "*.pyc", "__MACOSX", ".git", ".hg", ".svn", ".venv", "venv", ".nox", ".tox",
        "node_modules", ".idea", ".vscode", ".DS_Store", "._*")

MAX_ZIP_BYTES = 200 * 2**20  # what a zip may unpack to: far more than any honest submission
MAX_ZIP_MEMBERS = 20_000

# Grading a submission may take this much beyond the sum of its exercises' own time limits
# (starting interpreters, writing reports); the grader enforces the exercises' limits itself.
SUBMISSION_MARGIN = 60.0

HELP_JOBS = f"submissions graded at once (default: {DEFAULT_JOBS_NOTE})"
HELP_SUBMISSION_TIMEOUT = ("time limit for grading one submission, after which its grader is stopped and the "
                           "checks it had not reached fail (default: twice the sum of the checks' own limits, "
                           f"plus {SUBMISSION_MARGIN:g} s)")

MESSAGES: dict[str, dict[str, str]] = {
    "not_a_zip": {
        "en": "{name} is not a zip archive{looks_like}, so nothing in it could be graded. Ask for it again as a .zip file (or put the exNN_*.py files in a folder).",
        "zh": "{name} 不是 zip 压缩包{looks_like}，所以其中的内容都无法评分。请重新以 .zip 文件提交（或把 exNN_*.py 文件放在一个文件夹里）。",
    },
    "zip_unreadable": {
        "en": "{name} could not be extracted ({error}), so nothing in it could be graded. Ask for it again as a plain .zip file.",
        "zh": "{name} 无法解压（{error}），所以其中的内容都无法评分。请重新以普通的 .zip 文件提交。",
    },
    "folder_unreadable": {
        "en": "{name} could not be read ({error}), so nothing in it could be graded.",
        "zh": "无法读取 {name}（{error}），所以其中的内容都无法评分。",
    },
    "no_result": {
        "en": "The grading of {name} ended without a report ({how}). {detail}",
        "zh": "{name} 的评分没有留下报告就结束了（{how}）。{detail}",
    },
}

NOTES: dict[str, dict[str, str]] = {
    "graded_subfolder": {"en": "graded the modules in {folder}", "zh": "评分的是 {folder} 里的模块"},
    "several_folders": {"en": "exNN modules found in {count} folders: {folders}",
                        "zh": "在 {count} 个文件夹里都找到了 exNN 模块：{folders}"},
    "no_modules": {"en": "no exNN_*.py module found{files}", "zh": "没有找到 exNN_*.py 模块{files}"},
    "skipped_members": {"en": "skipped {count} unsafe path(s) in the zip: {names}",
                        "zh": "跳过了压缩包里 {count} 个不安全的路径：{names}"},
    "timed_out": {"en": "stopped after {seconds:.0f} s: the checks it had not reached count as failed",
                  "zh": "{seconds:.0f} 秒后被停止：尚未检查的项目记为未通过"},
    "killed": {"en": "its grader was killed (signal {signal}) before it finished: the checks it had not reached count as failed",
               "zh": "它的评分进程在完成前被结束了（信号 {signal}）：尚未检查的项目记为未通过"},
    "crashed": {"en": "its grader failed (exit code {exitcode}): {detail}",
                "zh": "它的评分进程出错了（退出码 {exitcode}）：{detail}"},
    "how_timeout": {"en": "stopped after {seconds:.0f} s", "zh": "{seconds:.0f} 秒后被停止"},
    "how_exit": {"en": "exit code {exitcode}", "zh": "退出码 {exitcode}"},
}

WORDS = {
    "en": {
        "header": "Gradebook of {folder}: {count} submission(s), start method {method}, seed {seed}, {jobs} at once",
        "ignored": "Not submissions (neither a folder nor a .zip), left out: {names}",
        "row_done": "graded {name}: {score}/{max_score}",
        "summary": "{count} submission(s) graded in {seconds:.1f} s.",
        "csv": "Gradebook written to {path}",
        "json_dir": "One results.json per submission in {path}",
        "replay": "To replay exactly this gradebook (or one submission alone): --seed {seed} --start-method {method}",
    },
    "zh": {
        "header": "{folder} 的成绩册：{count} 份提交，启动方式 {method}，随机种子 {seed}，同时评 {jobs} 份",
        "ignored": "以下不是提交（既不是文件夹也不是 .zip），已略过：{names}",
        "row_done": "已评分 {name}：{score}/{max_score}",
        "summary": "共评分 {count} 份提交，用时 {seconds:.1f} 秒。",
        "csv": "成绩册已写入 {path}",
        "json_dir": "每份提交的 results.json 在 {path}",
        "replay": "要原样重现这份成绩册（或单独一份提交）：--seed {seed} --start-method {method}",
    },
}

# First bytes of archives that learners send instead of a zip, to say what the file is.
MAGIC = ((b"Rar!", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gzip/tar.gz"), (b"BZh", "bzip2"),
         (b"\xfd7zXZ", "xz"), (b"%PDF", "PDF"))


class UsageError(Exception):
    """The gradebook cannot be made: a bad DIR or option."""


class Unreadable(Exception):
    """A submission whose files cannot be had; ``key`` and ``values`` say why, in :data:`MESSAGES`."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Submission:
    """One submission in DIR: its name in the gradebook and the folder or zip it comes from."""

    name: str
    path: Path

    @property
    def is_zip(self) -> bool:
        return self.path.is_file()


@dataclass
class Settings:
    """How every submission of one gradebook is graded: the same for all of them."""

    exercises: list[Exercise]
    seed: int
    start_method: str
    lang: str
    check_timeout: float
    submission_timeout: float


@dataclass
class Row:
    """A submission's line in the gradebook, with its whole Gradescope report."""

    name: str
    report: dict[str, Any]
    points: dict[str, int]
    max_points: dict[str, int]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> int:
        return sum(self.points.values())

    @property
    def max_score(self) -> int:
        return sum(self.max_points.values())


def word(lang: str, key: str, **values: Any) -> str:
    return WORDS[lang][key].format(**values)


def note(lang: str, key: str, **values: Any) -> str:
    return messages.render(key, values, lang, NOTES)


# ---------------------------------------------------------------------------------------------
# Finding submissions and their modules


def find_submissions(folder: Path) -> tuple[list[Submission], list[str]]:
    """The submissions in ``folder``, sorted by name, and the names of entries that are not submissions.

    Hidden entries (``.name``) and macOS' ``__MACOSX`` are neither. Two submissions that would
    share a name (``alice/`` and ``alice.zip``) keep their full file names instead.
    """
    found: list[tuple[str, Path]] = []
    ignored: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in ("__MACOSX", "__pycache__"):
            continue
        if entry.is_dir():
            found.append((entry.name, entry))
        elif entry.is_file() and entry.name.lower().endswith(".zip"):
            found.append((entry.name[:-4], entry))
        else:
            ignored.append(entry.name)
    counts: dict[str, int] = {}
    for name, _ in found:
        counts[name] = counts.get(name, 0) + 1
    subs = [Submission(name if counts[name] == 1 else path.name, path) for name, path in found]
    return sorted(subs, key=lambda s: s.name), ignored


def module_names() -> set[str]:
    return {e.filename for e in catalogue.EXERCISES}


def locate_modules(root: Path) -> list[Path]:
    """The folders under ``root`` holding exercise modules, best first: most modules, then shallowest."""
    names = module_names()
    found: dict[Path, int] = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__MACOSX", "__pycache__"))
        count = sum(1 for f in files if f in names)
        if count:
            found[Path(here)] = count
    return sorted(found, key=lambda p: (-found[p], len(p.relative_to(root).parts), str(p)))


def copy_folder(source: Path, dest: Path) -> None:
    """Copy a submission folder (without :data:`JUNK`) to ``dest``, which must not exist."""
    try:
        shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns(*JUNK))
    except (shutil.Error, OSError) as problem:
        raise Unreadable("folder_unreadable", name=source.name, error=_brief_error(problem)) from None


def extract_zip(archive: Path, dest: Path) -> list[str]:
    """Extract ``archive`` into ``dest`` safely; return the members skipped as unsafe paths.

    No member is written outside ``dest`` (absolute paths and ``..`` are skipped), junk is left out,
    and the whole archive may unpack to at most :data:`MAX_ZIP_BYTES` in :data:`MAX_ZIP_MEMBERS` members.
    """
    if not zipfile.is_zipfile(archive):
        raise Unreadable("not_a_zip", name=archive.name, looks_like=_looks_like(archive))
    skipped = []
    budget = MAX_ZIP_BYTES
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise Unreadable("zip_unreadable", name=archive.name,
                                 error=f"{len(members)} files, more than {MAX_ZIP_MEMBERS}")
            for member in members:
                parts = _safe_parts(member.filename)
                if parts is None:
                    skipped.append(member.filename)
                    continue
                if not parts or _is_junk(parts):
                    continue
                target = dest.joinpath(*parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as source, open(target, "wb") as out:
                    while True:
                        chunk = source.read(1 << 16)
                        if not chunk:
                            break
                        budget -= len(chunk)
                        if budget < 0:
                            raise Unreadable("zip_unreadable", name=archive.name,
                                             error=f"it unpacks to more than {MAX_ZIP_BYTES // 2**20} MiB")
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error,
            OSError, ValueError) as problem:
        raise Unreadable("zip_unreadable", name=archive.name, error=_brief_error(problem)) from None
    return skipped


def _safe_parts(member: str) -> list[str] | None:
    """The path parts of a zip member, or None when it would land outside the extraction folder."""
    text = member.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None
    return parts


def _is_junk(parts: list[str]) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in JUNK)


def _looks_like(path: Path) -> str:
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError:
        return ""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return f" (it is a {kind} file)"
    if not head:
        return " (it is empty)"
    return ""


def _brief_error(problem: BaseException) -> str:
    text = str(problem) or type(problem).__name__
    return text if len(text) <= 200 else text[:199] + "…"


# ---------------------------------------------------------------------------------------------
# Grading one submission in isolation


TOKEN_VAR = "MP_GRADEBOOK_TOKEN"


class Supervisor:
    """Runs graders, each in a process session of its own, and leaves none of their processes behind.

    Each grader gets a token of its own in its environment, which every process it starts inherits;
    after the grader ends, every process still carrying its token is killed, wherever it was
    re-parented to. The gradebook is deliberately *not* a child subreaper: orphans of a grader that
    died must not become its children, or a submission's ``os.kill(os.getppid(), ...)`` would reach
    the gradebook itself (seen in this kit's tests) instead of init, which ignores it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[int, str] = {}  # pid -> token of every grader running now
        self._stopping = False

    def run(self, command: list[str], cwd: Path, env: dict[str, str], log: Path, errors: Path,
            timeout: float) -> tuple[int | None, bool]:
        """Run ``command`` (its output to ``log`` and ``errors``) to its end or ``timeout`` seconds.

        Return its exit code (None if it was stopped) and whether it hung.
        """
        token = uuid.uuid4().hex
        with open(log, "wb") as out, open(errors, "wb") as err:
            with self._lock:
                if self._stopping:
                    return None, True
                proc = subprocess.Popen(command, cwd=cwd, env={**env, TOKEN_VAR: token}, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=err, start_new_session=True)
                self._running[proc.pid] = token
            try:
                exitcode: int | None = proc.wait(timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                exitcode, timed_out = None, True
                # Not reaped yet, so its pid cannot have been reused: its tree is still its own.
                cleanup.kill_tree(proc.pid, include_root=True)
                proc.wait()
        with self._lock:
            self._running.pop(proc.pid, None)
        cleanup.kill_group(proc.pid)
        kill_carriers(token)
        return exitcode, timed_out

    def stop_all(self) -> None:
        """Kill every grader running now and all they started (the teacher pressed Ctrl-C)."""
        with self._lock:
            self._stopping = True
            running = dict(self._running)
        for pid, token in running.items():
            cleanup.kill_tree(pid, include_root=True)
            kill_carriers(token)


def kill_carriers(token: str, rounds: int = 20) -> int:
    """SIGKILL every process whose environment carries ``token`` (and what they started); return how many."""
    killed = 0
    for _ in range(rounds):
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.environ().get(TOKEN_VAR) == token and proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
            except (psutil.Error, OSError):
                continue
        if not found:
            break
        for proc in found:
            killed += cleanup.kill_tree(proc.pid, include_root=True, rounds=1)
        psutil.wait_procs(found, timeout=2)
    return killed


def grader_command(folder: Path, results: Path, settings: Settings) -> list[str]:
    """The ``python -m grader`` command that grades ``folder`` alone, exactly as the gradebook does."""
    command = [sys.executable, "-m", "grader", str(folder), "--json", str(results),
               "--seed", str(settings.seed), "--start-method", settings.start_method, "--lang", settings.lang,
               "--timeout", f"{settings.check_timeout:g}"]
    for exercise in settings.exercises:
        command += ["--only", exercise.id]
    return command


def grader_env() -> dict[str, str]:
    env = dict(os.environ)
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(KIT_ROOT), *rest])
    return env


def grade_folder(folder: Path, settings: Settings, work: Path, supervisor: Supervisor,
                 name: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """Grade the modules in ``folder`` by ``python -m grader`` in a session of its own.

    Return its Gradescope report and notes on anything unusual (hung, killed, crashed). When the
    grader left no report at all, the report has every check failed with the reason.
    """
    lang = settings.lang
    name = name or folder.name
    results, log, errors, cwd = work / "results.json", work / "grader.log", work / "grader.err", work / "cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    exitcode, timed_out = supervisor.run(grader_command(folder, results, settings), cwd, grader_env(), log, errors,
                                         settings.submission_timeout)
    notes = []
    if timed_out:
        notes.append(note(lang, "timed_out", seconds=settings.submission_timeout))
    elif exitcode is not None and exitcode < 0:
        notes.append(note(lang, "killed", signal=-exitcode))
    elif exitcode not in (0, 1) or _crashed(errors):
        # The learner's own output never reaches the grader's stderr (its workers redirect it), so a
        # traceback there is the grader's.
        notes.append(note(lang, "crashed", exitcode=exitcode, detail=_last_line(errors)))
    report = _read_report(results)
    if report is None:
        how = (note(lang, "how_timeout", seconds=settings.submission_timeout) if timed_out
               else note(lang, "how_exit", exitcode=exitcode))
        report = failed_report(settings, "no_result", name=name, how=how, detail=_last_line(errors))
    return report, notes


def _read_report(path: Path) -> dict[str, Any] | None:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) and isinstance(report.get("tests"), list) else None


def _crashed(log: Path) -> bool:
    try:
        return "Traceback (most recent call last)" in log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""


def failed_report(settings: Settings, key: str, **values: Any) -> dict[str, Any]:
    """The Gradescope report of a submission that could not be graded: every check failed, saying why."""
    failure = {"key": key, "values": values,
               **{lang: messages.render(key, values, lang, MESSAGES) for lang in messages.LANGS}}
    results = []
    for exercise in settings.exercises:
        checks = [CheckResult(name, title, points, passed=False, failure=failure)
                  for name, title, points, _ in runner.checks_of(exercise)]
        results.append(ExerciseResult(exercise, checks))
    run = GradeRun("", settings.start_method, settings.seed, results, 0.0)
    report = gradescope.gradescope(run, settings.lang)
    report["output"] = failure[settings.lang] + "\n" + report["output"]
    return report


def grade_submission(submission: Submission, settings: Settings, work: Path, supervisor: Supervisor) -> Row:
    """Grade one submission of the gradebook into its row (never raises for anything the submission holds)."""
    began = time.monotonic()
    lang = settings.lang
    notes: list[str] = []
    files = work / "files" / submission.name
    try:
        if submission.is_zip:
            skipped = extract_zip(submission.path, files)
            if skipped:
                notes.append(note(lang, "skipped_members", count=len(skipped), names=", ".join(skipped[:3])))
        else:
            copy_folder(submission.path, files)
    except Unreadable as problem:
        report = failed_report(settings, problem.key, **problem.values)
        reason = messages.render(problem.key, problem.values, lang, MESSAGES)
        return row_from_report(submission.name, report, settings, notes + [reason], time.monotonic() - began)
    folders = locate_modules(files)
    if folders:
        target = folders[0]
        where = Path(submission.name, target.relative_to(files))
        if target != files:
            notes.append(note(lang, "graded_subfolder", folder=where.as_posix()))
        if len(folders) > 1:
            listed = ", ".join(Path(submission.name, f.relative_to(files)).as_posix() for f in folders[:4])
            notes.append(note(lang, "several_folders", count=len(folders), folders=listed))
    else:
        target = files
        stray = sorted(p.name for p in files.rglob("*.py"))[:5]
        notes.append(note(lang, "no_modules", files=f" ({', '.join(stray)})" if stray else ""))
    report, grading_notes = grade_folder(target, settings, work, supervisor, submission.name)
    return row_from_report(submission.name, report, settings, notes + grading_notes, time.monotonic() - began)


def row_from_report(name: str, report: dict[str, Any], settings: Settings, notes: list[str],
                    seconds: float) -> Row:
    """A gradebook row from a Gradescope report: each test's points added to its exercise (named before the colon)."""
    modules = [e.module for e in settings.exercises]
    points = {m: 0 for m in modules}
    max_points = {e.module: sum(p for _, _, p, _ in runner.checks_of(e)) for e in settings.exercises}
    for test in report.get("tests", []):
        module = str(test.get("name", "")).split(":", 1)[0]
        if module in points:
            points[module] += int(test.get("score") or 0)
    return Row(name, report, points, max_points, notes, seconds)


# ---------------------------------------------------------------------------------------------
# Progress and output


class Progress:
    """How far the gradebook is, on ``stream``: a bar redrawn in place on a terminal, else a line per row."""

    def __init__(self, total: int, lang: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        self.live = _isatty(self.stream)
        self.done = 0
        self.running: list[str] = []
        self._lock = threading.Lock()

    def started(self, name: str) -> None:
        with self._lock:
            self.running.append(name)
            self._draw()

    def finished(self, row: Row) -> None:
        with self._lock:
            self.done += 1
            if row.name in self.running:
                self.running.remove(row.name)
            if self.live:
                self._draw()
            else:
                self.stream.write(f"[{self.done}/{self.total}] "
                                  + word(self.lang, "row_done", name=row.name, score=row.score,
                                         max_score=row.max_score) + "\n")
                self.stream.flush()

    def close(self) -> None:
        with self._lock:
            if self.live:
                self.stream.write("\n")
                self.stream.flush()

    def _draw(self) -> None:
        if not self.live:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        now = ", ".join(self.running)
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  {now}"[:120]
        self.stream.write(line + "\033[K")
        self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def csv_header(exercises: Sequence[Exercise]) -> list[str]:
    """The gradebook's columns: the contract's ones, then the seed (to replay) and a note (why a row is odd)."""
    return ["submission", *[e.module for e in exercises], "score", "max_score", "seed", "note"]


def write_csv(rows: Sequence[Row], path: Path, settings: Settings) -> None:
    """One row per submission: each exercise's points, the score, the maximum, the seed and the notes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header(settings.exercises))
    for row in rows:
        writer.writerow([row.name, *[row.points[e.module] for e in settings.exercises], row.score, row.max_score,
                         settings.seed, "; ".join(row.notes)])
    write_text_atomically(path, buffer.getvalue())


def write_json_dir(rows: Sequence[Row], folder: Path) -> None:
    """Each submission's Gradescope report as ``folder/<submission>.json``, the row's notes first in its ``output``."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        report = {**row.report, "output": "\n".join([*row.notes, str(row.report.get("output", ""))]).strip()}
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        write_text_atomically(folder / f"{row.name}.json", text)


def write_table(rows: Sequence[Row], settings: Settings, out: TextIO) -> None:
    """The gradebook on the console: a line per submission with each exercise's points and the notes."""
    width = max([len(r.name) for r in rows] + [10])
    ids = [e.id for e in settings.exercises]
    out.write(f"{'submission':<{width}}  " + " ".join(f"{i:>5}" for i in ids) + "   score\n")
    for row in rows:
        cells = " ".join(f"{row.points[e.module]:>2}/{row.max_points[e.module]:<2}" for e in settings.exercises)
        out.write(f"{row.name:<{width}}  {cells}  {row.score:>3}/{row.max_score:<3}\n")
        for text in row.notes:
            out.write(f"{'':<{width}}  - {text.splitlines()[0] if text else ''}\n")


# ---------------------------------------------------------------------------------------------
# The command


def build_parser() -> argparse.ArgumentParser:
    from grader.cli import HELP_ONLY, HELP_SEED, HELP_START, positive_seconds

    methods = runner.available_start_methods()
    parser = argparse.ArgumentParser(
        prog="python -m grader gradebook",
        description="Grade every submission in DIR (each subfolder and .zip), each in isolation, into a gradebook.",
    )
    parser.add_argument("folder", metavar="DIR", type=Path, help="the folder of submissions")
    parser.add_argument("--csv", metavar="FILE", type=Path, help="write the gradebook as CSV: one row per submission")
    parser.add_argument("--json-dir", metavar="DIR2", type=Path,
                        help="write each submission's results.json (Gradescope format) as DIR2/<submission>.json")
    parser.add_argument("--jobs", type=positive_int, default=DEFAULT_JOBS, metavar="N", help=HELP_JOBS)
    parser.add_argument("--only", metavar="EX", action="append", default=[], help=HELP_ONLY)
    parser.add_argument("--start-method", choices=methods,
                        help=HELP_START.format(", ".join(methods), runner.default_start_method()))
    parser.add_argument("--lang", choices=["en", "zh"],
                        help="language of the notes and reports (default: from LANG / LC_ALL)")
    parser.add_argument("--seed", type=int, help=HELP_SEED + "; every submission is graded with it")
    parser.add_argument("--timeout", type=positive_seconds, default=worker.CHECK_TIMEOUT, metavar="SECONDS",
                        help=f"time limit of one check (default: {worker.CHECK_TIMEOUT:g})")
    parser.add_argument("--submission-timeout", type=positive_seconds, metavar="SECONDS", help=HELP_SUBMISSION_TIMEOUT)
    return parser


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def default_submission_timeout(exercises: Sequence[Exercise], check_timeout: float) -> float:
    """Twice what the grader itself allows the exercises (their checks' limits and the worker's margin), plus a margin."""
    allowed = sum(sum(max(limit or 0, check_timeout) for _, _, _, limit in runner.checks_of(e)) + runner.WORKER_MARGIN
                  for e in exercises)
    return 2 * allowed + SUBMISSION_MARGIN


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(list(sys.argv[2:] if argv is None else argv))
    try:
        return gradebook_command(options)
    except UsageError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as interruption:
        print("\ninterrupted: no gradebook written", file=sys.stderr)
        return cleanup.exit_status_of(interruption)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def gradebook_command(options: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from grader.cli import UsageError as CliUsageError
    from grader.cli import select

    out = out or sys.stdout
    folder: Path = options.folder
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder: give the folder that holds the submissions")
    for target in (options.csv, options.json_dir):
        if target is not None and _inside(target, folder):
            raise UsageError(f"{target} is inside {folder}: the gradebook never writes into the folder of submissions")
    try:
        exercises = select(options.only)
    except CliUsageError as problem:
        raise UsageError(str(problem)) from None
    for exercise in exercises:
        try:
            runner.checks_of(exercise)
        except ImportError as problem:
            raise UsageError(f"the grader cannot grade {exercise.id}: its checks do not load ({problem})") from None
    submissions, ignored = find_submissions(folder)
    if not submissions:
        raise UsageError(f"{folder} holds no submission: each must be a subfolder or a .zip file")
    lang = options.lang or messages.default_lang()
    settings = Settings(
        exercises=exercises,
        seed=options.seed if options.seed is not None else random.SystemRandom().randrange(1, 10**6),
        start_method=options.start_method or runner.default_start_method(),
        lang=lang,
        check_timeout=options.timeout,
        submission_timeout=options.submission_timeout or default_submission_timeout(exercises, options.timeout),
    )
    out.write(word(lang, "header", folder=folder, count=len(submissions), method=settings.start_method,
                   seed=settings.seed, jobs=options.jobs) + "\n")
    if ignored:
        out.write(word(lang, "ignored", names=", ".join(ignored)) + "\n")
    out.write("\n")
    out.flush()

    began = time.monotonic()
    rows = grade_all(submissions, settings, options.jobs, Progress(len(submissions), lang, err))

    write_table(rows, settings, out)
    out.write("\n" + word(lang, "summary", count=len(rows), seconds=time.monotonic() - began) + "\n")
    if options.csv:
        write_csv(rows, options.csv, settings)
        out.write(word(lang, "csv", path=options.csv) + "\n")
    if options.json_dir:
        write_json_dir(rows, options.json_dir)
        out.write(word(lang, "json_dir", path=options.json_dir) + "\n")
    out.write(word(lang, "replay", seed=settings.seed, method=settings.start_method) + "\n")
    out.flush()
    return EXIT_DONE


def grade_all(submissions: Sequence[Submission], settings: Settings, jobs: int, progress: Progress) -> list[Row]:
    """Grade ``submissions``, ``jobs`` at once; the rows come back in the submissions' order."""
    supervisor = Supervisor()
    scratch = Path(tempfile.mkdtemp(prefix="mp-gradebook-"))

    def one(index: int, submission: Submission) -> Row:
        progress.started(submission.name)
        work = scratch / str(index)
        work.mkdir()
        try:
            row = grade_submission(submission, settings, work, supervisor)
        except Exception as problem:  # noqa: BLE001 - a fault of the gradebook itself still leaves the row
            detail = f"{type(problem).__name__}: {problem}"
            report = failed_report(settings, "no_result", name=submission.name, how="gradebook error", detail=detail)
            row = row_from_report(submission.name, report, settings, [detail], 0.0)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        progress.finished(row)
        return row

    pool = ThreadPoolExecutor(max_workers=jobs)
    futures = [pool.submit(one, i, s) for i, s in enumerate(submissions)]
    try:
        rows = [f.result() for f in futures]
    except KeyboardInterrupt:
        for future in futures:
            future.cancel()
        supervisor.stop_all()
        raise
    finally:
        pool.shutdown(wait=True)
        progress.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return rows
