"""The gradebook: ``python -m grader gradebook DIR [options]`` grades a whole class.

DIR is a folder (or one "download all" zip) in any layout :mod:`grader.teacher.intake` knows (Canvas,
Moodle, Blackboard, GitHub Classroom, plain folders and zips): one row per learner, named after the
learner, with a note for what was merged, unpacked or skipped. Each learner's files are staged in a
private temporary folder (nothing in DIR is ever written) and graded by ``python -m grader`` in a
process session of its own (:mod:`grader.teacher.isolation`), with the gradebook's seed and options,
and the grade is read from the grader's own record: so a submission gets exactly the grade it gets
alone, and whatever it does shows in its own row only.

Exit status: 0 every learner found was graded; 3 the gradebook was written, but some learner's files
were found and not graded (only online text, an archive that cannot be opened, no exercise module,
a module lying loose in DIR): each is listed on screen and in the note column; 2 the gradebook could
not be made (DIR missing, no submission in it, an output inside DIR, the grader's own checks missing);
130 Ctrl-C (143 SIGTERM, 129 SIGHUP): every grader is stopped and no gradebook is written.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO

from grader import messages
from grader.catalogue import Exercise
from grader.grading import cleanup, runner
from grader.options import HELP_SEED, UsageError, add_selection_options, positive_int, positive_seconds, select
from grader.reports import gradescope
from grader.results import GradeRun
from grader.teacher import intake, page, summary
from grader.teacher.export import csv_header, write_csv, write_json_dir, write_table  # noqa: F401 - csv_header for callers
from grader.teacher.isolation import Settings, Supervisor, failed_run, grade_folder
from grader.teacher.texts import MESSAGES, NOTES, note, reason

__all__ = ["MESSAGES", "NOTES", "Settings", "Supervisor", "main"]

EXIT_DONE, EXIT_USAGE, EXIT_NOT_ALL_GRADED = 0, 2, 3

# Submissions graded at once. Measured on this kit's 2-core machine, 30 copies of the solutions,
# other work running beside (load average 10-30): ex01-ex08 and ex11, --jobs 1 253 s, --jobs 2 158 s;
# all eleven, --jobs 1 383 s, --jobs 2 304 s; every row full marks each time. Yet a second grader
# keeps the cores busy, and on busy cores ex11's speed-up check cannot measure: it gives its points
# with a "machine busy" note, so a submission that is not faster for a reason of its own (it fails
# alone on free cores) can pass in the gradebook. One at a time is the fastest setting that never
# changes a grade.
DEFAULT_JOBS = 1
DEFAULT_JOBS_NOTE = "1; more is faster, but keeps the cores busy, so ex11 cannot measure its speed-up"

# Grading a submission may take this much beyond the sum of its exercises' own time limits
# (starting interpreters, writing reports); the grader enforces the exercises' limits itself.
SUBMISSION_MARGIN = 60.0

HELP_JOBS = f"submissions graded at once (default: {DEFAULT_JOBS_NOTE})"
HELP_SUBMISSION_TIMEOUT = ("time limit for grading one submission, after which its grader is stopped and the "
                           "checks it had not reached fail (default: twice the sum of the checks' own limits, "
                           f"plus {SUBMISSION_MARGIN:g} s)")


@dataclass
class Row:
    """A learner's line in the gradebook: the points per exercise (from the grader's record) and its Gradescope report."""

    name: str
    report: dict[str, Any]
    points: dict[str, int]
    max_points: dict[str, int]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    not_graded: str = ""  # why the learner's files, found, could not be graded ("" when they were)
    run: GradeRun | None = None  # the grader's record: the class summary and page are built from it

    @property
    def score(self) -> int:
        return sum(self.points.values())

    @property
    def max_score(self) -> int:
        return sum(self.max_points.values())


def row_from_run(name: str, run: GradeRun, settings: Settings, notes: list[str], seconds: float,
                 not_graded: str = "") -> Row:
    """A gradebook row from the grader's record: each exercise's points as the grader added them up."""
    scored = {result.exercise.module: result for result in run.exercises}
    points = {e.module: scored[e.module].score if e.module in scored else 0 for e in settings.exercises}
    max_points = {e.module: sum(c.points for c in scored[e.module].checks) if e.module in scored
                  else sum(check.points for check in runner.checks_of(e)) for e in settings.exercises}
    report = gradescope.gradescope(run, settings.lang)
    return Row(name, report, points, max_points, notes, seconds, not_graded, run=run)


def failed_row(name: str, settings: Settings, notes: list[str], key: str, /, **values: Any) -> Row:
    """The row of a learner whose files could not be graded at all: every check failed, saying why."""
    run = failed_run(settings, key, **values)
    why = reason(settings.lang, key, **values)
    row = row_from_run(name, run, settings, [*notes, why], 0.0, not_graded=why)
    row.report["output"] = why + "\n" + row.report["output"]
    return row


def grade_submission(submission: intake.Submission, settings: Settings, work: Path, supervisor: Supervisor) -> Row:
    """Grade one staged submission into its row (never raises for anything the submission holds)."""
    began = time.monotonic()
    if submission.problem is not None:
        return failed_row(submission.name, settings, submission.notes, submission.problem.key,
                          **submission.problem.values)
    # Files without a single exercise module are still graded (every exercise "not started"), and listed.
    target = submission.modules if submission.modules is not None else submission.files
    run, grading_notes = grade_folder(target, settings, work, supervisor, submission.name)
    return row_from_run(submission.name, run, settings, submission.notes + grading_notes, time.monotonic() - began,
                        not_graded=submission.no_modules)


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
                                  + note(self.lang, "row_done", name=row.name, score=row.score,
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


# ---------------------------------------------------------------------------------------------
# The command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader gradebook",
        description="Grade every learner's submission in DIR (an LMS export folder or zip, or one subfolder or .zip "
                    "per learner), each in isolation, into a gradebook.",
        epilog="Exit status: 0 every learner graded, 3 some learner's files found but not graded (listed), "
               "2 no gradebook could be made.",
    )
    parser.add_argument("folder", metavar="DIR", type=Path, help="the folder of submissions, or the LMS's download-all zip")
    parser.add_argument("--csv", metavar="FILE", type=Path, help="write the gradebook as CSV: one row per submission")
    parser.add_argument("--json-dir", metavar="DIR2", type=Path,
                        help="write each submission's results.json (Gradescope format) as DIR2/<submission>.json")
    parser.add_argument("--summary-csv", metavar="FILE", type=Path,
                        help="write what the class got wrong as CSV: per exercise who passed, each mistake and who made it")
    parser.add_argument("--html", metavar="FILE", type=Path,
                        help="write one self-contained page: the class table, the most frequent mistakes, each "
                             "learner's checks and timelines")
    parser.add_argument("--jobs", type=positive_int, default=DEFAULT_JOBS, metavar="N", help=HELP_JOBS)
    add_selection_options(parser, seed_help=HELP_SEED + "; every submission is graded with it",
                          lang_help="language of the notes and reports (default: from LANG / LC_ALL)")
    parser.add_argument("--submission-timeout", type=positive_seconds, metavar="SECONDS", help=HELP_SUBMISSION_TIMEOUT)
    return parser


def default_submission_timeout(exercises: Sequence[Exercise], check_timeout: float) -> float:
    """Twice what the grader itself allows the exercises (their checks' limits and the worker's margin), plus a margin."""
    allowed = sum(runner.worker_deadline(runner.checks_of(e), check_timeout) for e in exercises)
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


def settings_of(options: argparse.Namespace) -> Settings:
    """The settings every submission is graded with; UsageError for exercises the grader cannot grade."""
    exercises = select(options.only)
    for exercise in exercises:
        try:
            runner.checks_of(exercise)
        except ImportError as problem:
            raise UsageError(f"the grader cannot grade {exercise.id}: its checks do not load ({problem})") from None
    return Settings(
        exercises=exercises,
        seed=options.seed if options.seed is not None else random.SystemRandom().randrange(1, 10**6),
        start_method=options.start_method or runner.default_start_method(),
        lang=options.lang or messages.default_lang(),
        check_timeout=options.timeout,
        submission_timeout=options.submission_timeout or default_submission_timeout(exercises, options.timeout),
    )


def gradebook_command(options: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    given: Path = options.folder
    if not given.is_dir() and not (given.is_file() and given.suffix.lower() == ".zip"):
        raise UsageError(f"{given} is neither a folder nor a .zip: give the folder (or the LMS's zip) of the submissions")
    for target in (options.csv, options.json_dir, options.summary_csv, options.html):
        if target is not None and given.is_dir() and _inside(target, given):
            raise UsageError(f"{target} is inside {given}: the gradebook never writes into the folder of submissions")
    settings = settings_of(options)
    lang = settings.lang
    scratch = Path(tempfile.mkdtemp(prefix="mp-gradebook-"))
    try:
        try:
            found = intake.take_in(given, scratch, lang)
        except intake.Unreadable as problem:
            raise UsageError(reason(lang, problem.key, **problem.values)) from None
        if not found.submissions and not found.not_graded:
            raise UsageError(f"{given} holds no submission: each must be a subfolder or a .zip file, or an LMS export")
        out.write(note(lang, "header", folder=given, count=len(found.submissions), method=settings.start_method,
                       seed=settings.seed, jobs=options.jobs) + "\n")
        for name in found.expanded:
            out.write(note(lang, "expanded", name=name) + "\n")
        if found.ignored:
            out.write(note(lang, "ignored", names=", ".join(found.ignored)) + "\n")
        out.write("\n")
        out.flush()

        began = time.monotonic()
        rows = grade_all(found.submissions, settings, options.jobs, Progress(len(found.submissions), lang, err), scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    write_table(rows, settings, out)
    runs = [(row.name, row.run) for row in rows if row.run is not None]
    made = summary.summarize(runs)
    out.write("\n")
    summary.write_console(made, out, lang)
    out.write("\n" + note(lang, "summary", count=len(rows), seconds=time.monotonic() - began) + "\n")
    if options.csv:
        write_csv(rows, options.csv, settings)
        out.write(note(lang, "csv", path=options.csv) + "\n")
    if options.json_dir:
        write_json_dir(rows, options.json_dir)
        out.write(note(lang, "json_dir", path=options.json_dir) + "\n")
    if options.summary_csv:
        summary.write_summary_csv(made, options.summary_csv, lang)
        out.write(summary.text(lang, "csv", path=options.summary_csv) + "\n")
    if options.html:
        page.write_html(made, runs, options.html, lang)
        out.write(page.t(lang, "written", path=options.html) + "\n")
    out.write(note(lang, "gradebook_replay", seed=settings.seed, method=settings.start_method) + "\n")
    not_graded = [*((row.name, row.not_graded) for row in rows if row.not_graded), *found.not_graded]
    if not_graded:
        out.write("\n" + note(lang, "not_graded", count=len(not_graded)) + "\n")
        for name, why in not_graded:
            out.write(note(lang, "not_graded_line", name=name, why=why.splitlines()[0] if why else "") + "\n")
    out.flush()
    return EXIT_NOT_ALL_GRADED if not_graded else EXIT_DONE


def grade_all(submissions: Sequence[intake.Submission], settings: Settings, jobs: int, progress: Progress,
              scratch: Path) -> list[Row]:
    """Grade ``submissions``, ``jobs`` at once; the rows come back in the submissions' order."""
    supervisor = Supervisor()

    def one(index: int, submission: intake.Submission) -> Row:
        progress.started(submission.name)
        work = scratch / "work" / str(index)
        work.mkdir(parents=True)
        try:
            row = grade_submission(submission, settings, work, supervisor)
        except Exception as problem:  # noqa: BLE001 - a fault of the gradebook itself still leaves the row
            detail = f"{type(problem).__name__}: {problem}"
            row = failed_row(submission.name, settings, [detail], "no_result", name=submission.name,
                             how="gradebook error", detail=detail)
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
    return rows
