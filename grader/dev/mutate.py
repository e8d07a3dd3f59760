"""``python -m grader.dev mutate``: the mutation run over ``solutions/``, with the grader as the test.

Every mutant of an exercise's solution (cosmic-ray's own operators, and ours from
:mod:`grader.dev.mutation_operators`: calls and arguments removed, statements swapped or moved
into and out of loops) is written alone into a fresh folder and graded with
``python -m grader DIR --only exNN --seed S`` (exit 0: the mutant survived). A survivor under
fork is graded again under spawn. A survivor is judged against
:mod:`grader.dev.mutation_verdicts` (equivalent, or a known gap); the run exits 1 when a survivor
has no verdict, so that a new one is looked at. Mutations in the ``__main__`` demo are left out:
the grader never runs it.

It grades hundreds of times: one exercise at a time, ``--jobs`` gradings at once (2 at most by
default, the grader's own children need the other cores).
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from grader.catalogue import EXERCISES, Exercise

from . import mutation_verdicts
from .mutation_operators import OperatorProvider

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = "mp-kit"
# A grading that runs past this is a mutant that hangs: killed (the grader's own limits end
# sooner; this only guards against a grader that cannot stop the mutant).
GRADING_TIMEOUT = 600.0


@dataclass
class Mutant:
    """One mutation of a solution: where, by which operator, the changed lines and the new code."""

    module: str
    operator: str
    occurrence: int
    line: int
    change: str  # "old lines => new lines": what a verdict is keyed on
    code: str = field(repr=False)
    outcomes: dict[str, str] = field(default_factory=dict)  # start method -> "survived" | "killed: key"
    verdict: str = ""


def _register_operators() -> None:
    """Make our operators known to cosmic-ray in this process, whether or not the kit is installed."""
    import cosmic_ray.plugins

    cosmic_ray.plugins.OPERATOR_PROVIDERS.setdefault(PROVIDER, OperatorProvider())


def _demo_line(code: str) -> int:
    """The line of the ``if __name__ == "__main__":`` demo (mutations from there on are left out)."""
    for number, text in enumerate(code.splitlines(), 1):
        if text.startswith("if __name__ =="):
            return number
    return len(code.splitlines()) + 1


def _change(original: str, mutated: str) -> str:
    """The lines that differ, as ``old => new`` (common lines at both ends trimmed, shared indentation
    removed, lines joined by `` | ``): stable while the rest of the solution changes."""
    before, after = original.splitlines(), mutated.splitlines()
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    old, new = before[head:len(before) - tail], after[head:len(after) - tail]
    indent = min((len(t) - len(t.lstrip()) for t in old + new if t.strip()), default=0)
    return " => ".join(" | ".join(t[indent:].rstrip() for t in part) for part in (old, new))


def mutants_of(exercise: Exercise, root: Path = ROOT) -> list[Mutant]:
    """Every distinct mutant of the exercise's solution that compiles, outside its demo."""
    import cosmic_ray.plugins
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code

    _register_operators()
    code = (root / "solutions" / exercise.filename).read_text(encoding="utf-8")
    demo = _demo_line(code)
    seen: set[str] = set()
    mutants = []
    for name in cosmic_ray.plugins.operator_names():
        operator_class = cosmic_ray.plugins.get_operator(name)
        if operator_class.arguments():
            continue  # operators that need arguments of their own (cosmic-ray's variable ones)
        operator = operator_class()
        positions = [start for node in ast_nodes(get_ast(code)) for start, _ in operator.mutation_positions(node)]
        for occurrence, (line, _col) in enumerate(positions):
            if line >= demo:
                continue
            mutated = mutate_code(code, operator_class(), occurrence)
            if mutated is None or mutated == code or mutated in seen:
                continue
            seen.add(mutated)
            try:
                compile(mutated, exercise.filename, "exec")
            except SyntaxError:
                continue
            mutants.append(Mutant(exercise.module, name, occurrence, line, _change(code, mutated), mutated))
    return mutants


def grade(mutant: Mutant, exercise: Exercise, seed: int, method: str) -> str:
    """Grade the mutant alone; "survived" or "killed: <first failing key>"."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        submission = Path(folder, "submission")
        submission.mkdir()
        (submission / exercise.filename).write_text(mutant.code, encoding="utf-8")
        record = Path(folder, "record.json")
        command = [sys.executable, "-m", "grader", str(submission), "--only", exercise.module[:4], "--seed",
                   str(seed), "--start-method", method, "--record", str(record), "--lang", "en"]
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=GRADING_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "killed: (hung past the run's limit)"
        if done.returncode == 0:
            return "survived"
        if done.returncode != 1:
            return f"error: exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}"
        return "killed: " + _first_key(record)


def _first_key(record: Path) -> str:
    try:
        run = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?"
    for exercise in run.get("exercises", []):
        for check in exercise.get("checks", []):
            if check.get("failure"):
                return f"{check['failure'].get('key', '?')} ({check['check']})"
    return "?"


def run_exercise(exercise: Exercise, seed: int, jobs: int, methods: Sequence[str], log: bool = True) -> list[Mutant]:
    """All mutants of one exercise, graded: under ``methods[0]``, then survivors under the others."""
    mutants = mutants_of(exercise)
    started = time.monotonic()
    pending = mutants
    for method in methods:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            grade_one = functools.partial(grade, exercise=exercise, seed=seed, method=method)
            for mutant, outcome in zip(pending, pool.map(grade_one, pending), strict=True):
                mutant.outcomes[method] = outcome
                if log and not outcome.startswith("killed"):
                    print(f"  {exercise.module} {method} {outcome[:60]}: {mutant.operator} line {mutant.line}: "
                          f"{mutant.change}", flush=True)
        pending = [m for m in pending if m.outcomes[method] == "survived"]
    for mutant in mutants:
        if any(o == "survived" for o in mutant.outcomes.values()):
            mutant.verdict = mutation_verdicts.verdict_of(mutant.module, mutant.change)
    if log:
        print(f"{exercise.module}: {len(mutants)} mutants graded in {time.monotonic() - started:.0f} s", flush=True)
    return mutants


def summary(mutants: list[Mutant]) -> dict[str, int]:
    survived = [m for m in mutants if any(o == "survived" for o in m.outcomes.values())]
    errors = [m for m in mutants if any(o.startswith("error") for o in m.outcomes.values())]
    return {"mutants": len(mutants), "killed": len(mutants) - len(survived) - len(errors), "errors": len(errors),
            "equivalent": sum(m.verdict.startswith("equivalent") for m in survived),
            "gap": sum(m.verdict.startswith("gap") for m in survived),
            "unclassified": sum(not m.verdict for m in survived)}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.dev mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="exNN", help="these exercises only (repeatable)")
    parser.add_argument("--seed", type=int, default=5, help="the grader's seed for every grading (default 5)")
    parser.add_argument("--jobs", type=int, default=2, help="gradings at once (default 2)")
    parser.add_argument("--methods", default="fork,spawn",
                        help="start methods: all mutants under the first, survivors under the others (default fork,spawn)")
    parser.add_argument("--list", action="store_true", help="list the mutants, grade nothing")
    parser.add_argument("--out", type=Path, help="write every mutant and its outcomes as JSON")
    options = parser.parse_args(argv)
    chosen = [e for e in EXERCISES if not options.only or any(e.module.startswith(o) for o in options.only)]
    everything: list[Mutant] = []
    for exercise in chosen:
        if options.list:
            for mutant in mutants_of(exercise):
                print(f"{exercise.module} {mutant.operator} line {mutant.line}: {mutant.change}")
            continue
        mutants = run_exercise(exercise, options.seed, options.jobs, options.methods.split(","))
        everything += mutants
        print(f"  {summary(mutants)}", flush=True)
        if options.out:
            rows = [{k: v for k, v in asdict(m).items() if k != "code"} for m in everything]
            options.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if options.list:
        return 0
    total = summary(everything)
    print(f"all: {total}")
    for mutant in everything:
        if any(o == "survived" for o in mutant.outcomes.values()) and not mutant.verdict:
            print(f"no verdict: {mutant.module} {mutant.operator} line {mutant.line}: {mutant.change} "
                  f"{mutant.outcomes}")
    return 1 if total["unclassified"] or total["errors"] else 0
