"""Gradescope's autograder results.json: a test per check, named ``<module>: <title>``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.messages import word
from grader.reports.files import write_text_atomically
from grader.reports.paths import relative_paths
from grader.results import ExerciseResult, GradeRun


def test_name(result: ExerciseResult, title: dict[str, str], lang: str) -> str:
    return f"{result.exercise.module}: {title[lang]}"


def gradescope(run: GradeRun, lang: str) -> dict[str, Any]:
    """The Gradescope autograder results.json for ``run``.

    Per test ``name``, ``score``, ``max_score``, ``status`` (``passed`` | ``failed``), ``output`` (why it
    failed, then the check's notes, paths in them relative to the submission) and ``visibility``; at the
    top the total, the maximum, ``execution_time`` in seconds, and in ``output`` the start method and
    seed that replay the run.
    """
    tests = []
    for result in run.exercises:
        for check in result.checks:
            tests.append({
                "name": test_name(result, check.title, lang),
                "score": check.score,
                "max_score": check.points,
                "status": "passed" if check.passed else "failed",
                "output": relative_paths("\n".join(filter(None, [check.message(lang), *check.notes_in(lang)])),
                                         run.submission),
                "visibility": "visible",
            })
    return {
        "score": run.score,
        "max_score": run.max_score,
        "execution_time": round(run.execution_time, 3),
        "output": word(lang, "replay_header", method=run.start_method, seed=run.seed),
        "visibility": "visible",
        "tests": tests,
    }


def write_json(run: GradeRun, path: Path, lang: str) -> None:
    """Write the Gradescope results.json of ``run`` to ``path``."""
    write_text_atomically(path, json.dumps(gradescope(run, lang), ensure_ascii=False, indent=2) + "\n")
