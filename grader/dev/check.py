"""``python -m grader.dev check``: in seconds, grading nothing, does the kit agree with itself?

The catalogue, the stubs (``exercises/``), the solutions, the checks modules, the known mistakes
(``tests/cases/``) and correct variants (``tests/correct/``), the message tables and the
requirements must tell one story. Each disagreement is printed as where it is, what is wrong and
how to fix it; the exit status is 1 when there is any, 0 (with a one-line summary) when none.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from grader import KIT_ROOT
from grader.catalogue import EXERCISES

from . import casebook, texts
from .keys import key_problems
from .layout import layout_problems, stubs_with_work
from .problem import Problem, place
from .requirements import requirement_problems

EXIT_CONSISTENT, EXIT_PROBLEMS = 0, 1


def check(root: Path = KIT_ROOT) -> list[Problem]:
    """Every disagreement in the kit at ``root`` (the kit this grader package belongs to)."""
    problems = layout_problems(root)
    try:
        cases = casebook.load_cases(("fork", "spawn", "forkserver"), root / "tests" / "cases")
    except casebook.BadCase as bad:
        problems.append(Problem(str(bad).split(":", 1)[0], str(bad).split(": ", 1)[-1],
                                "write the line 'Expect: <message key>' in its docstring; then run "
                                "python -m grader.dev check"))
        cases = []
    problems += key_problems(root, cases)
    problems += requirement_problems(root)
    return problems


def summary(root: Path, seconds: float) -> str:
    cases = len(list((root / "tests" / "cases").glob("ex*/*.py")))
    variants = len(list((root / "tests" / "correct").glob("ex*/*.py")))
    keys = {site.key for site in texts.read_sites(root)[0] if site.is_mistake}
    worked = stubs_with_work(root)
    unchecked = (f"; outside git, {len(worked)} stub file(s) hold written bodies (a learner's work?): their shape "
                 "was held to the solutions, not their bodies" if worked else "")
    return (f"dev check: the kit agrees with itself: {len(EXERCISES)} exercises, {len(keys)} mistake keys, "
            f"{cases} cases, {variants} correct variants, requirements from pyproject.toml ({seconds:.1f} s){unchecked}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.dev check", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=KIT_ROOT,
                        help="the kit to check (default: the one this grader belongs to)")
    options = parser.parse_args(argv)
    root = options.root.resolve()
    if root != KIT_ROOT.resolve():
        return in_its_own_interpreter(root)
    began = time.monotonic()
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\ndev check: {len(problems)} problem(s) to fix.")
        return EXIT_PROBLEMS
    print(summary(root, time.monotonic() - began))
    return EXIT_CONSISTENT


def in_its_own_interpreter(root: Path) -> int:
    """Check another copy of the kit with its own grader package (its tables and checks, not ours)."""
    if not (root / "grader" / "dev" / "check.py").is_file():
        print(f"python -m grader.dev check: {place(root, Path.cwd())} holds no kit (no grader/dev/check.py)",
              file=sys.stderr)
        return 2
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    return subprocess.run([sys.executable, "-m", "grader.dev", "check"], cwd=root, env=env).returncode


if __name__ == "__main__":  # python -m grader.dev.check, as python -m grader.dev check
    sys.exit(main())
