"""How long does grading take, and how much of it is the grader's own? ``nox -s bench`` / ``python -m grader.dev bench``.

Grades the reference solutions ``--runs`` times under each start method and reports, per exercise
and for the whole catalogue, the median time and its spread (min-max), both in-process (the
runner's loop, as ``python -m grader`` runs it) and end to end (``python -m grader solutions``:
interpreter start, imports, every exercise and the scoreboard). A report, not a test: it fails
on no time.

It also splits each exercise's time in two:

* what the checks must wait for by their nature: the learner's code running, the sleeps the
  exercises prescribe and the processes the learner's code starts, from their start to their end.
  That is the union of every call of the learner's functions (the worker's report,
  ``worker-times.json``: each ``call_learner`` call, and every process the learner's code started)
  and every call a probe recorded (:class:`grader.inside.observe.Probe` records in the scratch folder,
  from ``called`` to ``end``, in the worker, its children and the programs of ex06/ex07);
* what the grader adds on top: the checks' own work (the start-up yardstick, reading records,
  judging, starting the ex06/ex07 programs), pytest's start and end around the checks, and the
  worker's fork, isolation and clean-up (``ExerciseResult.timings``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

from grader import cli
from grader.catalogue import Exercise
from grader.grading import cleanup, runner, worker
from grader.inside import call_records, records
from grader.results import PASSED, ExerciseResult

from .load import ROOT, SOLUTIONS, exercises_to_grade, positive, python_line

EXIT_DONE, EXIT_USAGE = 0, 2

# Where an exercise's time goes; the first is the checks' nature, the others the grader's own.
PARTS = {
    "nature": "the learner's code, its sleeps and its processes",
    "checks": "the checks' own work",
    "pytest": "pytest's start and end around the checks",
    "worker": "worker fork, isolation and clean-up",
}


@dataclass
class Sample:
    """One exercise graded once: how long it took, where the time went, and whether it passed."""

    module: str
    method: str
    run: int
    seconds: float
    parts: dict[str, float]
    passed: bool


def build_parser() -> argparse.ArgumentParser:
    methods = runner.available_start_methods()
    parser = argparse.ArgumentParser(prog="python -m grader.dev bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive, default=5, help="gradings of the catalogue per start method (default 5)")
    parser.add_argument("--methods", nargs="+", choices=methods, default=methods, metavar="M",
                        help=f"start methods (default: all of {', '.join(methods)})")
    parser.add_argument("--only", action="append", default=[], metavar="EX", help="only this exercise (repeatable)")
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end runs of python -m grader")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every sample to FILE")
    return parser


# --- measuring -------------------------------------------------------------------------------


def grade_once(exercises: Sequence[Exercise], method: str, run: int) -> tuple[list[Sample], float]:
    """Grade the solutions of ``exercises`` as the runner does, keeping each scratch folder to read it."""
    cleanup.become_subreaper()
    samples = []
    with tempfile.TemporaryDirectory(prefix="mp-bench-") as scratch:
        began = time.monotonic()
        for exercise in exercises:
            folder = Path(scratch) / exercise.id
            result = runner.grade_exercise(SOLUTIONS, exercise, method, run + 1, folder)
            samples.append(Sample(exercise.module, method, run, result.duration, split(result, folder),
                                  result.status == PASSED))
        return samples, time.monotonic() - began


def split(result: ExerciseResult, scratch: Path) -> dict[str, float]:
    """``result``'s time by :data:`PARTS` (seconds), from its timings and the records left in ``scratch``."""
    timings = result.timings
    checks = sum(c.duration for c in result.checks)
    try:
        report = json.loads((scratch / worker.TIMES_FILE).read_text(encoding="utf-8"))
        window = (report["pytest_began"], report["pytest_ended"])
        busy = [tuple(span) for span in report["processes"] + report["calls"]] + list(recorded_calls(scratch))
    except (OSError, ValueError, KeyError):
        window, busy = (0.0, 0.0), []
    nature = min(covered(busy, window), checks)
    pytest_frame = max(0.0, timings.get("pytest", 0.0) - checks)
    return {
        "nature": nature,
        "checks": checks - nature,
        "pytest": pytest_frame,
        "worker": max(0.0, result.duration - checks - pytest_frame),
    }


def recorded_calls(scratch: Path) -> Iterable[tuple[float, float]]:
    """From ``called`` to ``end`` of every call a probe recorded anywhere under ``scratch``."""
    for folder in sorted({path.parent for path in scratch.rglob(f"*{records.CALLS_SUFFIX}")}):
        for call in call_records.read_calls(folder):
            if isinstance(call.called, (int, float)) and isinstance(call.end, (int, float)):
                yield call.called, call.end


def covered(spans: Iterable[tuple[float, float]], window: tuple[float, float]) -> float:
    """Seconds of ``window`` covered by at least one of ``spans``."""
    total, reach = 0.0, window[0]
    for start, end in sorted((max(s, window[0]), min(e, window[1])) for s, e in spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def grade_end_to_end(method: str, exercises: Sequence[Exercise], run: int) -> float:
    """Seconds for ``python -m grader solutions`` as a learner or teacher runs it, scoreboard included."""
    only = [arg for e in exercises for arg in ("--only", e.id)]
    began = time.monotonic()
    subprocess.run([sys.executable, "-m", "grader", str(SOLUTIONS), "--start-method", method, "--seed", str(run + 1),
                    *only], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.monotonic() - began


# Run in an interpreter of its own (``-c``: no __main__ module for spawn children to import again),
# so that no fork server or resource tracker of this process is left for the workers to inherit.
PROCESS_START = """\
import multiprocessing, statistics, sys, time
from grader.inside import tasks
context = multiprocessing.get_context(sys.argv[1])
spent = []
for _ in range(6):
    began = time.monotonic()
    process = context.Process(target=tasks.do_nothing)
    process.start()
    process.join()
    spent.append(time.monotonic() - began)
print(spent[0], statistics.median(spent[1:]))
"""


def process_start(method: str) -> tuple[float, float]:
    """Seconds to start and join a process that does nothing: the first (helpers start too) and the next ones."""
    out = subprocess.run([sys.executable, "-c", PROCESS_START, method], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1])


# --- reporting -------------------------------------------------------------------------------


def spread(values: Sequence[float]) -> str:
    """``0.52 [0.48-0.61]``: median and range, in seconds."""
    return f"{statistics.median(values):5.2f} [{min(values):.2f}-{max(values):.2f}]"


def report(samples: list[Sample], catalogue: dict[str, list[float]], end_to_end: dict[str, list[float]],
           methods: Sequence[str], modules: Sequence[str], starts: dict[str, tuple[float, float]]) -> str:
    width = 30
    lines = ["Seconds to grade each solution: median [min-max]; the share the checks must wait by their nature.", ""]
    lines.append(f"{'exercise':<24}" + "".join(f"{m:>{width}}" for m in methods))
    by: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    for s in samples:
        by[(s.module, s.method)].append(s)
    for module in modules:
        cells = []
        for method in methods:
            group = by[(module, method)]
            nature = sum(s.parts["nature"] for s in group) / max(1e-9, sum(s.seconds for s in group))
            cells.append(f"{spread([s.seconds for s in group])} {nature:4.0%}")
        lines.append(f"{module:<24}" + "".join(f"{c:>{width}}" for c in cells))
    lines.append(f"{'catalogue (in-process)':<24}" + "".join(f"{spread(catalogue[m]):>{width}}" for m in methods))
    if any(end_to_end.values()):
        lines.append(f"{'python -m grader':<24}" + "".join(f"{spread(end_to_end[m]):>{width}}" for m in methods))
    lines.append(f"{'a process start, first':<24}" + "".join(f"{starts[m][0]:>{width}.3f}" for m in methods))
    lines.append(f"{'a process start, next':<24}" + "".join(f"{starts[m][1]:>{width}.3f}" for m in methods))
    lines += ["", "Where the catalogue's time goes (seconds per grading of the catalogue, mean over the runs):", ""]
    lines.append(f"{'':<46}" + "".join(f"{m:>16}" for m in methods))
    runs = {m: max(1, len(catalogue[m])) for m in methods}
    totals = {m: sum(s.seconds for s in samples if s.method == m) / runs[m] for m in methods}
    for part, meaning in PARTS.items():
        cells = []
        for method in methods:
            value = sum(s.parts[part] for s in samples if s.method == method) / runs[method]
            cells.append(f"{value:6.2f} {value / max(1e-9, totals[method]):5.0%}")
        lines.append(f"{meaning:<46}" + "".join(f"{c:>16}" for c in cells))
    lines.append(f"{'the grader on top of the nature of the checks':<46}"
                 + "".join(f"{1 - _share(samples, m, 'nature'):>16.0%}" for m in methods))
    failed = sorted({f"{s.module} ({s.method})" for s in samples if not s.passed})
    if failed:
        lines += ["", "Not passed (the figures include them): " + ", ".join(failed)]
    return "\n".join(lines)


def _share(samples: list[Sample], method: str, part: str) -> float:
    mine = [s for s in samples if s.method == method]
    return sum(s.parts[part] for s in mine) / max(1e-9, sum(s.seconds for s in mine))


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        exercises = exercises_to_grade(options.only)
    except cli.UsageError as problem:
        print(f"python -m grader.dev bench: {problem}", file=sys.stderr)
        return EXIT_USAGE
    # Grading here stops every process this one started, so the benchmark has no load of its own:
    # measure on a quiet machine (the stress run is the one that grades under load).
    print(f"Benchmark: solutions/, {options.runs} run(s) per start method, {len(exercises)} exercise(s); "
          f"{python_line()}", flush=True)
    samples: list[Sample] = []
    catalogue: dict[str, list[float]] = defaultdict(list)
    end_to_end: dict[str, list[float]] = defaultdict(list)
    starts = {method: process_start(method) for method in options.methods}
    for run in range(options.runs):
        for method in options.methods:
            graded, seconds = grade_once(exercises, method, run)
            samples += graded
            catalogue[method].append(seconds)
            if not options.no_cli:
                end_to_end[method].append(grade_end_to_end(method, exercises, run))
            print(f"run {run + 1}/{options.runs} {method:<11} {seconds:6.2f} s", flush=True)
    modules = [e.module for e in exercises]
    print()
    print(report(samples, catalogue, end_to_end, options.methods, modules, starts))
    if options.json:
        options.json.write_text(json.dumps({"python": python_line(),
                                            "samples": [asdict(s) for s in samples], "catalogue": catalogue,
                                            "end_to_end": end_to_end, "process_start": starts}, indent=1))
    return EXIT_DONE



if __name__ == "__main__":  # python -m grader.dev.bench, as python -m grader.dev bench
    sys.exit(main())
