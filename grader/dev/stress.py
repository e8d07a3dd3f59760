"""Will the grader ever call correct code wrong, or wrong code right? Grade the kit's own material, often, on a busy machine.

``nox -s stress`` (or ``python -m grader.dev stress``) grades, ``--runs`` times under each start
method, while a spinning process keeps every core busy:

* the reference solutions (``solutions/``) and the correct variants (``tests/correct/``), each of
  which must pass;
* the known mistakes (``tests/cases/``), each of which must fail with the mistake its docstring
  names (see :mod:`grader.dev.casebook`, which the test suite shares).

It prints, per exercise and start method, how many gradings ran and how many were wrong, then
each wrong grade with what to run to see it again. Exit status: 0 none wrong, 1 some wrong, 2 bad
options, 130 interrupted. Any wrong grade is a bug in a check to fix at its root.

Each grading is ``python -m grader FOLDER --only EX --start-method M --seed S --record FILE``, as a
learner or CI runs it, and the grade is read from the grader's own record
(:func:`grader.results.read_run`), never from a rendering. A known mistake is graded with
``--first-failure-only`` (its exercise's checks stop at the first that fails): it is judged by that
check alone, and the checks after it would only cost time. The load (``--load`` spinning
processes) belongs to this process: a grader stops every descendant of its own once an exercise
is done, and the load is none of them. ``--jobs N`` runs N graders at the same time: a harsher
load than a learner's grading meets, and a shorter stress run.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from grader import cli
from grader.catalogue import find
from grader.grading import cleanup, runner
from grader.results import PASSED, ExerciseResult, read_run

from .casebook import Case, load_cases, load_variants, misgraded, variant_id, why_not_here
from .load import ROOT, SOLUTIONS, busy_cores, exercises_to_grade, positive, python_line

EXIT_CLEAN, EXIT_WRONG, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass(frozen=True)
class Job:
    """One grading of one submission of one exercise, and the grade it must get."""

    run: int
    method: str
    seed: int
    module: str
    name: str  # "solution", "correct/<how>" or "case/<what>"
    source: str  # the submission's file
    folder: str  # the submission folder graded (the file under the exercise's module name)
    expect: str | None = None  # the mistake it must fail with; None: it must pass
    check: str | None = None  # the check that must fail first, where the case says


@dataclass
class Outcome:
    """What a grading gave, judged."""

    job: Job
    seconds: float
    wrong: str | None  # what was wrong with the grade; None when it was right
    detail: str = ""  # every check's outcome, when it was wrong


def build_parser() -> argparse.ArgumentParser:
    methods = runner.available_start_methods()
    parser = argparse.ArgumentParser(prog="python -m grader.dev stress", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive, default=20, help="gradings of each submission per start method (default 20)")
    parser.add_argument("--methods", nargs="+", choices=methods, default=methods, metavar="M",
                        help=f"start methods to grade under (default: all of {', '.join(methods)})")
    parser.add_argument("--only", action="append", default=[], metavar="EX", help="grade only this exercise (repeatable)")
    parser.add_argument("--load", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="spinning processes that keep the machine busy (default: one per core, %(default)s)")
    parser.add_argument("--jobs", type=positive, default=1, metavar="N",
                        help="graders running at once (default 1; more is a harsher load)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first run; run i uses seed+i (default 1)")
    parser.add_argument("--submission", action="append", default=[], metavar="NAME",
                        help="grade only this submission: solution, case/STEM or correct/STEM (repeatable)")
    return parser


def plan(options: argparse.Namespace, workspace: Path) -> list[Job]:
    """Every grading to do, run by run, start method by method, exercise by exercise.

    Each correct variant and each case is copied once into a folder of its own in ``workspace``;
    those that need a newer Python than this one are left out.
    """
    exercises = exercises_to_grade(options.only)
    modules = {e.module for e in exercises}
    cases = [c for c in load_cases(options.methods) if c.module in modules and not why_not_here(c.path)]
    variants = [v for v in load_variants() if v.parent.name in modules and not why_not_here(v)]
    submissions: dict[str, list[tuple[str, Path, Path, Case | None]]] = defaultdict(list)
    for exercise in exercises:
        submissions[exercise.module].append(("solution", SOLUTIONS / exercise.filename, SOLUTIONS, None))
    for path in variants:
        name = f"correct/{path.stem}"
        submissions[path.parent.name].append((name, path, _alone(workspace, f"correct/{variant_id(path)}", path), None))
    for case in cases:
        name = f"case/{case.path.stem}"
        submissions[case.module].append((name, case.path, _alone(workspace, f"case/{case.id}", case.path), case))
    known = {name for entries in submissions.values() for name, *_ in entries}
    unknown = sorted(set(options.submission) - known)
    if unknown:
        raise cli.UsageError(f"no such submission of the exercises graded: {', '.join(unknown)} (names are solution, "
                             "case/STEM and correct/STEM, as in tests/cases/<module>/STEM.py)")
    jobs = []
    for run in range(options.runs):
        for method in options.methods:
            for exercise in exercises:
                for name, source, folder, case in submissions[exercise.module]:
                    if case is not None and method not in case.methods:
                        continue
                    if options.submission and name not in options.submission:
                        continue
                    jobs.append(Job(run, method, options.seed + run, exercise.module, name, str(source), str(folder),
                                    case.expect if case else None, case.check if case else None))
    return jobs


def _alone(workspace: Path, name: str, source: Path) -> Path:
    """A submission folder of its own (``name``: kind/exercise/what) holding only ``source``, under its module's name."""
    folder = workspace / name.replace("/", "__")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / f"{source.parent.name}.py")
    return folder


# --- one grading ----------------------------------------------------------------------------


class Graders:
    """The graders running now, so that an interrupted stress run stops each one and all it started."""

    def __init__(self) -> None:
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopping = False

    def grade(self, job: Job, record: Path) -> Outcome | None:
        """Grade ``job`` as ``python -m grader`` does and judge the grade read from its record (None: stopped)."""
        command = [sys.executable, "-m", "grader", job.folder, "--only", job.module, "--start-method", job.method,
                   "--seed", str(job.seed), "--record", str(record),
                   *(["--first-failure-only"] if job.name.startswith("case/") else [])]
        with self._lock:
            if self.stopping:
                return None
            record.unlink(missing_ok=True)  # a grader that writes none must not be judged by the last one's
            child = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
            self._running.add(child)
        _, errors = child.communicate()
        with self._lock:
            self._running.discard(child)
        if self.stopping:
            return None
        try:
            result = read_run(record).exercises[0]
        except (OSError, ValueError, IndexError) as problem:
            return Outcome(job, 0.0, f"the grader left no record (exit code {child.returncode}: {problem})",
                           errors[-2000:])
        wrong = judge(job, result)
        return Outcome(job, result.duration, wrong, describe(result) if wrong else "")

    def stop(self) -> None:
        with self._lock:
            self.stopping = True
            running = list(self._running)
        for child in running:
            cleanup.kill_tree(child.pid, include_root=True)
            child.wait()


def grade_all(jobs: list[Job], workers: int, graders: Graders, workspace: Path) -> Iterator[Outcome]:
    """Grade every job, ``workers`` at a time; yield each outcome as it comes."""
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue[Outcome | None] = queue.Queue()
    # A grader that could not even be started (or a bug here) must end the run loudly, not leave it
    # reporting "none wrong" over the gradings that never ran: the first such error is raised below.
    errors: list[BaseException] = []

    def work(number: int) -> None:
        record = workspace / f"record-{number}.json"
        try:
            while not graders.stopping and not errors:
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                outcome = graders.grade(job, record)
                if outcome is not None:
                    done.put(outcome)
        except BaseException as error:  # noqa: B036 - handed to the main thread, which raises it
            errors.append(error)
        finally:
            done.put(None)

    for number in range(workers):
        threading.Thread(target=work, args=(number,), daemon=True).start()
    ended = 0
    while ended < workers:
        outcome = done.get()
        if outcome is None:
            ended += 1
        else:
            yield outcome
    if errors:
        raise errors[0]


def judge(job: Job, result: ExerciseResult) -> str | None:
    """What is wrong with ``result`` as the grade of ``job`` (None when it is right)."""
    if job.expect is None:
        if result.status == PASSED:
            return None
        first = result.first_failure
        because = f" with {first.key} (check {first.check})" if first is not None else ""
        return f"correct code graded {result.status}{because}"
    case = Case(job.module, Path(job.source), job.expect, job.check, (job.method,))
    return misgraded(case, result)


def describe(result: ExerciseResult) -> str:
    """Every check's outcome, with the message of each failure."""
    lines = []
    for check in result.checks:
        lines.append(f"{'ok  ' if check.passed else 'FAIL'} {check.check} {check.key or ''}")
        if not check.passed:
            lines.append("     " + check.message("en")[:600].replace("\n", "\n     "))
    return "\n".join(lines)


# --- the stress run -------------------------------------------------------------------------


class Tally:
    """Gradings and wrong grades per exercise and start method, filled as outcomes arrive."""

    def __init__(self, methods: Sequence[str]) -> None:
        self.methods = list(methods)
        self.seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.by_submission: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        self.wrong: list[Outcome] = []

    def add(self, outcome: Outcome) -> None:
        job = outcome.job
        self.seconds[(job.module, job.method)].append(outcome.seconds)
        self.by_submission[(job.module, job.name, job.method)].append(outcome.seconds)
        if outcome.wrong:
            self.wrong.append(outcome)

    def slowest(self, count: int = 8) -> str:
        """The submissions that took longest to grade (median), where the stress run's time goes."""
        ranked = sorted(self.by_submission.items(), key=lambda item: -statistics.median(item[1]))[:count]
        return "\n".join(f"  {statistics.median(times):6.2f} s  {module.split('_')[0]} {name} ({method})"
                         for (module, name, method), times in ranked)

    def count(self, module: str | None, method: str) -> tuple[int, int, float | None]:
        """Gradings, wrong grades and median seconds of ``module`` (all when None) under ``method``."""
        times = [t for (m, how), ts in self.seconds.items() if how == method and module in (None, m) for t in ts]
        wrong = sum(1 for o in self.wrong if o.job.method == method and module in (None, o.job.module))
        return len(times), wrong, statistics.median(times) if times else None

    def table(self, modules: Sequence[str]) -> str:
        head = f"{'exercise':<24}" + "".join(f"{method:>24}" for method in self.methods)
        sub = f"{'':<24}" + "".join(f"{'runs':>8}{'wrong':>7}{'median':>9}" for _ in self.methods)
        rows = [head, sub]
        for module in [*modules, None]:
            cells = []
            for method in self.methods:
                runs, wrong, median = self.count(module, method)
                cells.append(f"{runs:>8}{wrong:>7}{f'{median:.2f} s' if median is not None else '-':>9}")
            rows.append(f"{module or 'all':<24}" + "".join(cells))
        rows.append("(runs: gradings of the solution, each correct variant and each case, all runs together; "
                    "median: seconds per grading)")
        return "\n".join(rows)


def stress(options: argparse.Namespace) -> int:
    """Start the load and the graders, follow the outcomes, print the table; the load always stops."""
    began = time.monotonic()
    tally = Tally(options.methods)
    with tempfile.TemporaryDirectory(prefix="mp-stress-") as workspace:
        jobs = plan(options, Path(workspace))
        modules = list(dict.fromkeys(job.module for job in jobs))
        print(f"Stress: {len(jobs)} gradings ({options.runs} runs of {len(jobs) // max(1, options.runs)}) "
              f"under {', '.join(options.methods)}, {options.jobs} at a time, with {options.load} spinning "
              f"process(es); {python_line()}; seeds {options.seed}-{options.seed + options.runs - 1}", flush=True)
        graders = Graders()
        interrupted = False
        try:
            with busy_cores(options.load):
                follow(grade_all(jobs, options.jobs, graders, Path(workspace)), tally, jobs, began)
        except KeyboardInterrupt:
            interrupted = True
            print("\nInterrupted: the load is stopped; the table shows the gradings done so far.")
        finally:
            graders.stop()
        done = sum(len(ts) for ts in tally.seconds.values())
    print()
    print(tally.table(modules))
    print()
    print("Slowest to grade (median under load):")
    print(tally.slowest())
    print()
    report_wrong(tally.wrong)
    print(f"\n{done} gradings in {time.monotonic() - began:.0f} s.")
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_WRONG if tally.wrong else EXIT_CLEAN


def follow(outcomes: Iterator[Outcome], tally: Tally, jobs: list[Job], began: float) -> None:
    """Tally each outcome line; print a line of progress as each run under each start method completes."""
    left: dict[tuple[int, str], int] = defaultdict(int)
    for job in jobs:
        left[(job.run, job.method)] += 1
    runs = max(job.run for job in jobs) + 1 if jobs else 0
    for outcome in outcomes:
        tally.add(outcome)
        key = (outcome.job.run, outcome.job.method)
        left[key] -= 1
        if outcome.wrong:
            print(f"  WRONG {outcome.job.module} {outcome.job.name} ({outcome.job.method}, seed {outcome.job.seed}): "
                  f"{outcome.wrong}", flush=True)
        if left[key] == 0:
            wrong = sum(1 for o in tally.wrong if (o.job.run, o.job.method) == key)
            print(f"run {outcome.job.run + 1:>3}/{runs} {outcome.job.method:<11} {wrong} wrong   "
                  f"{time.monotonic() - began:6.0f} s", flush=True)


def kind_of(outcome: Outcome) -> str:
    """Which way a wrong grade was wrong."""
    if outcome.job.expect is None:
        return "correct code failed"
    if (outcome.wrong or "").startswith(f"graded {PASSED}"):
        return "wrong code passed"
    return "wrong code failed for another reason"


def report_wrong(wrong: list[Outcome]) -> None:
    if not wrong:
        print("Wrong grades: none.")
        return
    kinds = defaultdict(int)
    for outcome in wrong:
        kinds[kind_of(outcome)] += 1
    print(f"Wrong grades: {len(wrong)} ({', '.join(f'{n} {kind}' for kind, n in kinds.items())}).")
    for outcome in wrong:
        job = outcome.job
        exercise = find(job.module)
        print(f"\n{job.module} {job.name} under {job.method}, seed {job.seed}: {outcome.wrong}")
        print("  " + outcome.detail.replace("\n", "\n  "))
        source = Path(job.source).relative_to(ROOT) if Path(job.source).is_relative_to(ROOT) else Path(job.source)
        folder = "solutions" if job.name == "solution" else "DIR"
        if job.name != "solution":
            print(f"  again: copy {source} to DIR/{exercise.filename}, then")
        print(f"  python -m grader {folder} --only {exercise.id} --start-method {job.method} --seed {job.seed}")


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        return stress(options)
    except cli.UsageError as problem:
        print(f"python -m grader.dev stress: {problem}", file=sys.stderr)
        return EXIT_USAGE



if __name__ == "__main__":  # python -m grader.dev.stress, as python -m grader.dev stress
    cleanup.stop_as_on_ctrl_c()  # SIGTERM (nox, CI) or a closed terminal stops the run as Ctrl-C does: the load too
    sys.exit(main())
