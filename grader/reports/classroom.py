"""GitHub Classroom's grading reporter, fed so that the score in its log is the points.

The reporter (classroom-resources/autograding-grading-reporter@v1) reports to Classroom the sum of
the tests' ``score``, but prints in the run's log, per runner, ``passed tests / tests × max_score``:
right only when every test of a runner is worth the same. So the version-3 results are handed to
it as several runners, each holding the checks worth one number of points (``points1``,
``points2``, ...), and a runner is split further where that quotient is not exact in floating point
(the reporter computes in JavaScript doubles, as Python does). Each runner's results travel in an
environment variable of their own, ``<RUNNER>_RESULTS``, base64-encoded, as the reporter reads them.

``python -m grader.reports.classroom classroom.json --env-file "$GITHUB_ENV" --output-file "$GITHUB_OUTPUT"``
appends those variables to the first file and ``runners=<names>`` to the second.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from grader.reports.version3 import overall


def runners(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``report``'s tests as (runner name, version-3 results) pairs whose logged score is exact.

    Runners come in order of points; tests keep their order within a runner. Together their scores
    and maximums add up to ``report``'s.
    """
    by_points: dict[int, list[dict[str, Any]]] = {}
    for test in report["tests"]:
        by_points.setdefault(int(test["max_score"]), []).append(test)
    found = []
    for points in sorted(by_points):
        parts = split_exactly(by_points[points], points)
        for number, tests in enumerate(parts, 1):
            name = f"points{points}" + (f"part{number}" if len(parts) > 1 else "")
            found.append((name, results_of(report, tests)))
    return found


def split_exactly(tests: list[dict[str, Any]], points: int) -> list[list[dict[str, Any]]]:
    """``tests`` in as few consecutive parts as keep :func:`logged_exactly` true for each part's size."""
    size = len(tests)
    while size > 1 and not (logged_exactly(size, points) and logged_exactly(len(tests) % size, points)):
        size -= 1
    return [tests[start:start + size] for start in range(0, len(tests), size)]


def logged_exactly(count: int, points: int) -> bool:
    """True when, for ``count`` tests of ``points`` each, ``passed / count * max`` is the sum for every ``passed``."""
    return all((passed / count) * (count * points) == passed * points for passed in range(count + 1)) if count else True


def results_of(report: dict[str, Any], tests: list[dict[str, Any]]) -> dict[str, Any]:
    """The version-3 results of ``tests`` alone, with the run's seed and start method."""
    part = {**report, "tests": tests, "score": sum(t["score"] for t in tests),
            "max_score": sum(t["max_score"] for t in tests)}
    part.update(overall(tests))
    return part


def encoded(results: dict[str, Any]) -> str:
    """``results`` as the reporter reads them from its variable: base64 of the JSON."""
    return base64.b64encode(json.dumps(results, ensure_ascii=False).encode("utf-8")).decode("ascii")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.reports.classroom",
                                     description="Hand version-3 results to GitHub Classroom's grading reporter.")
    parser.add_argument("results", type=Path, help="the grader's --classroom file")
    parser.add_argument("--env-file", type=Path, required=True, help="where to append <RUNNER>_RESULTS=... ($GITHUB_ENV)")
    parser.add_argument("--output-file", type=Path, required=True, help="where to append runners=... ($GITHUB_OUTPUT)")
    options = parser.parse_args(argv)
    try:
        report = json.loads(options.results.read_text(encoding="utf-8"))
        parts = runners(report)
    except (OSError, ValueError, KeyError, TypeError) as problem:
        print(f"error: {options.results} is not the grader's version-3 results ({problem})", file=sys.stderr)
        return 2
    with open(options.env_file, "a", encoding="utf-8") as env:
        env.writelines(f"{name.upper()}_RESULTS={encoded(results)}\n" for name, results in parts)
    with open(options.output_file, "a", encoding="utf-8") as output:
        output.write(f"runners={','.join(name for name, _ in parts)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
