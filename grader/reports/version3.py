"""Version-3 test-runner results: exercism's format, read by GitHub Classroom's grading reporter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.reports.files import write_text_atomically
from grader.reports.gradescope import test_name
from grader.results import GradeRun

# A check that failed for one of these reasons never ran the learner's code to the end: version 3
# calls that an error, not a failure.
ERROR_KEYS = frozenset({"import_failed", "grading_process_died", "not_checked", "grading_interrupted", "grader_error"})
V3_OUTPUT_LIMIT = 500  # characters of a test's output, as the version-3 format requires


def version3(run: GradeRun, lang: str) -> dict[str, Any]:
    """The run as version-3 test-runner results (exercism; GitHub Classroom's grading reporter reads them).

    One test per check, in catalogue order: ``name``, ``status`` (pass | fail | error), ``message``
    (why it failed), ``test_code`` (where the check lives and the command that replays it, with the
    seed), ``task_id`` (the exercise's number), ``score`` (its points when passed, else 0) and
    ``output`` (the check's notes). ``score`` and ``max_score`` at the top add up as the console does.
    """
    tests = []
    for result in run.exercises:
        ex = result.exercise
        replay = (f"python -m grader {run.submission} --only {ex.id} --seed {run.seed} "
                  f"--start-method {run.start_method}")
        for check in result.checks:
            status = "pass" if check.passed else ("error" if check.key in ERROR_KEYS else "fail")
            output = "\n".join(check.notes_in(lang))
            if len(output) > V3_OUTPUT_LIMIT:
                output = output[:V3_OUTPUT_LIMIT - 1] + "…"
            tests.append({
                "name": test_name(result, check.title, lang),
                "status": status,
                "message": None if check.passed else check.message(lang),
                "output": output,
                "test_code": f"grader/checks/{ex.filename}::{check.check}\n{replay}",
                "task_id": ex.number,
                "score": check.score,
                "max_score": check.points,
            })
    statuses = {t["status"] for t in tests}
    if statuses == {"pass"}:
        overall, message = "pass", None
    elif statuses == {"error"}:
        overall, message = "error", next(t["message"] for t in tests)
    else:
        overall, message = "fail", None
    return {
        "version": 3,
        "status": overall,
        "message": message,
        "score": run.score,
        "max_score": run.max_score,
        "seed": run.seed,
        "start_method": run.start_method,
        "tests": tests,
    }


def write_version3(run: GradeRun, path: Path, lang: str) -> None:
    """Write the version-3 results of ``run`` to ``path``."""
    write_text_atomically(path, json.dumps(version3(run, lang), ensure_ascii=False, indent=2) + "\n")
