"""Hints that go further the more often the same exercise fails.

The count of failed grades in a row, per submission folder and exercise, is kept in the user's
state folder (never in the submission). Only a learner at a terminal is counted: CI and
gradebooks leave no trace.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

from grader.catalogue import Exercise
from grader.results import FAILED, PASSED, ExerciseResult

FAILURES_PER_LEVEL = 2  # failed grades in a row before the next, more telling hint is shown


def state_file() -> Path:
    """Where the failure counts live: $MP_KIT_STATE, else the XDG state folder."""
    if os.environ.get("MP_KIT_STATE"):
        return Path(os.environ["MP_KIT_STATE"])
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "mp-exercise-kit" / "progress.json"


def _load() -> dict[str, dict[str, int]]:
    try:
        return json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record(submission: Path, results: list[ExerciseResult]) -> None:
    """Count another failure for each exercise that failed; forget the count of those that passed.

    An exercise not started yet is not counted: its first hint must not be skipped.
    """
    state = _load()
    key = str(submission.resolve())
    counts = state.setdefault(key, {})
    for result in results:
        if result.status == PASSED:
            counts.pop(result.exercise.id, None)
        elif result.status == FAILED:
            counts[result.exercise.id] = counts.get(result.exercise.id, 0) + 1
    path = state_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # hints then stay at their first level: no reason to stop grading


def failures(submission: Path, exercise: Exercise) -> int:
    """Failed grades of ``exercise`` in a row, in the submission folder ``submission``."""
    return _load().get(str(submission.resolve()), {}).get(exercise.id, 0)


def hints_for(exercise: Exercise, failed: int, lang: str) -> list[str]:
    """The hints a learner who failed ``failed`` times in a row gets: the first, then one more every few failures."""
    return [exercise.hint(i, lang) for i in range(_shown(exercise, failed))]


def _shown(exercise: Exercise, failed: int) -> int:
    """How many hints ``failed`` failed grades in a row have earned: one, and one more every few failures."""
    return min(failed // FAILURES_PER_LEVEL, len(exercise.hints) - 1) + 1


def more_needed(exercise: Exercise, failed: int) -> int:
    """How many more failed grades bring the next hint (0: every hint is shown already)."""
    shown = _shown(exercise, failed)
    return 0 if shown == len(exercise.hints) else shown * FAILURES_PER_LEVEL - failed


def command(exercise: Exercise, submission: str) -> str:
    """The command that shows the hints for ``exercise``: through nox when nox runs the grader."""
    where = "" if Path(submission) == Path("exercises") else " " + shlex.quote(submission)
    if os.environ.get("NOX_CURRENT_SESSION"):
        return f"nox -s hint -- {exercise.id}{where}"
    return f"python -m grader hint {exercise.id}{where}"
