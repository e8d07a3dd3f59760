"""Hints that go further the more often the same exercise fails, and hints for the check that failed.

Per submission folder, the user's state folder (never the submission) keeps what the learner's last
grades said: each exercise's status, failed grades in a row, and the check that failed. Every
learner's run is counted, at a terminal or not (an IDE's run window, a pipe); a run under CI
(``CI`` set) or one that writes a machine report (a gradebook, Gradescope) leaves no trace.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import Any

from grader import catalogue
from grader.catalogue import Exercise
from grader.messages import word
from grader.results import FAILED, PASSED, ExerciseResult

FAILURES_PER_LEVEL = 2  # failed grades in a row before the next, more telling hint is shown

State = dict[str, Any]  # one submission folder's: "failures", "status" and "failing", each keyed by exercise id


def state_file() -> Path:
    """Where the learner's progress lives: $MP_KIT_STATE, else the XDG state folder."""
    if os.environ.get("MP_KIT_STATE"):
        return Path(os.environ["MP_KIT_STATE"])
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "mp-exercise-kit" / "progress.json"


def counted(environ: dict[str, str] | None = None, reports: bool = False) -> bool:
    """Whether a grade is the learner's own and counts for hints: not under CI, not writing machine reports."""
    env = os.environ if environ is None else environ
    return not reports and not env.get("CI")


def _load() -> dict[str, State]:
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _folder_state(data: dict[str, Any], submission: Path) -> State:
    state = data.get(str(submission.resolve()))
    if not isinstance(state, dict) or not isinstance(state.get("failures"), dict):
        state = {"failures": {}, "status": {}, "failing": {}}  # none yet, or a file of an older kit
        data[str(submission.resolve())] = state
    for part in ("status", "failing"):
        state.setdefault(part, {})
    return state


def record(submission: Path, results: list[ExerciseResult]) -> None:
    """Note each exercise's status; count another failure for each that failed, remembering the check that
    failed; forget the count of those that passed. An exercise not started is not counted: its first hint
    must not be skipped.
    """
    data = _load()
    state = _folder_state(data, submission)
    for result in results:
        id_ = result.exercise.id
        state["status"][id_] = result.status
        if result.status == PASSED:
            state["failures"].pop(id_, None)
            state["failing"].pop(id_, None)
        elif result.status == FAILED:
            state["failures"][id_] = state["failures"].get(id_, 0) + 1
            first = result.first_failure
            if first is not None:
                state["failing"][id_] = {"check": first.check, "key": first.key, "title": first.title}
    path = state_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # hints then stay at their first level: no reason to stop grading


def failures(submission: Path, exercise: Exercise) -> int:
    """Failed grades of ``exercise`` in a row, in the submission folder ``submission``."""
    return _folder_state(_load(), submission)["failures"].get(exercise.id, 0)


def failing_check(submission: Path, exercise: Exercise) -> dict[str, Any] | None:
    """The check that failed first in the last grade of ``exercise`` (its name, message key, titles), if it failed."""
    return _folder_state(_load(), submission)["failing"].get(exercise.id)


def current(submission: Path) -> Exercise | None:
    """The exercise the learner is on: the first, in catalogue order, that their grades have not seen pass."""
    status = _folder_state(_load(), submission)["status"]
    return next((e for e in catalogue.EXERCISES if status.get(e.id) != PASSED), None)


def focused_hint(exercise: Exercise, failing: dict[str, Any] | None, lang: str) -> str | None:
    """The hint for the check that failed (by its message key, else by the check's name), if the catalogue has one."""
    if not failing:
        return None
    return exercise.hint_for(failing.get("key") or "", lang) or exercise.hint_for(failing.get("check") or "", lang)


def hint_text(submission: Path, exercise: Exercise, lang: str) -> str:
    """What ``hint`` prints for ``exercise``: a title, the hint for the check that failed last, the general
    hints earned, and when the next comes."""
    failed = failures(submission, exercise)
    shown = hints_for(exercise, failed, lang)
    lines = [word(lang, "hints_title", id=exercise.id, title=exercise.title(lang), file=submission / exercise.filename)]
    failing = failing_check(submission, exercise)
    focused = focused_hint(exercise, failing, lang)
    if focused and failing:
        lines.append("  " + word(lang, "hint_for_check", title=failing["title"].get(lang, ""), hint=focused))
    lines += [f"  {number}. {text}" for number, text in enumerate(shown, 1)]
    more = more_needed(exercise, failed)
    if more:
        lines.append(word(lang, "hints_more", shown=len(shown), total=len(exercise.hints), more=more))
    else:
        lines.append(word(lang, "hints_all", total=len(exercise.hints), file=exercise.filename))
    return "\n".join(lines)


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


def grade_command(exercise: Exercise, submission: str) -> str:
    """The command that grades ``exercise`` alone: through nox when nox runs the grader."""
    where = "" if Path(submission) == Path("exercises") else " " + shlex.quote(submission)
    if os.environ.get("NOX_CURRENT_SESSION"):
        return f"nox -s grade -- --only {exercise.id}{where}"
    return f"python -m grader --only {exercise.id}{where}"
