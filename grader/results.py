"""The outcome of grading: per check, per exercise, per submission. Plain data for every report.

A :class:`GradeRun` is also the one format that crosses processes: ``python -m grader --record FILE``
writes it (:func:`write_run`) and the gradebook, Gradescope's ``run_autograder`` and the stress tool
read it back (:func:`read_run`). Gradescope's results.json, version-3 and JUnit are renderings of it
(:mod:`grader.reports`); nothing parses a rendering back.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.catalogue import Exercise, find
from grader.reports.files import write_text_atomically

# The version of the record's layout: a reader refuses a record of another version instead of misreading it.
RECORD_VERSION = 1

PASSED = "passed"
FAILED = "failed"
NOT_STARTED = "not_started"


@dataclass
class CheckResult:
    """One check of one exercise."""

    check: str
    title: dict[str, str]
    points: int
    passed: bool
    failure: dict[str, Any] | None = None  # key, values, and the message in each language
    notes: list[dict[str, Any]] = field(default_factory=list)
    timelines: list[list[dict[str, Any]]] = field(default_factory=list)
    duration: float = 0.0

    @property
    def score(self) -> int:
        return self.points if self.passed else 0

    @property
    def key(self) -> str | None:
        return self.failure["key"] if self.failure else None

    def message(self, lang: str) -> str:
        return self.failure[lang] if self.failure else ""

    def notes_in(self, lang: str) -> list[str]:
        """What the check noted besides pass or fail (a speed-up measured, a measurement skipped and why)."""
        return [note.get(lang) or note.get("en", "") for note in self.notes]

    @classmethod
    def from_line(cls, data: dict[str, Any]) -> "CheckResult":
        return cls(
            check=data["check"], title=data["title"], points=data["points"], passed=data["passed"],
            failure=data.get("failure"), notes=data.get("notes", []),
            timelines=data.get("timelines", []), duration=data.get("duration", 0.0),
        )


@dataclass
class ExerciseResult:
    """All checks of one exercise, and what they add up to."""

    exercise: Exercise
    checks: list[CheckResult]
    duration: float = 0.0
    missing: bool = False  # the submission has no such module
    untouched: bool = False  # every function in it is still the stub
    # Where ``duration`` went, in seconds, phase by phase (see runner.grade_exercise); for the benchmark.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> int:
        return sum(c.points for c in self.checks)

    @property
    def status(self) -> str:
        """``passed``; ``not_started`` when the module is missing or still all stubs; else ``failed``."""
        if self.checks and all(c.passed for c in self.checks):
            return PASSED
        if self.missing or self.untouched:
            return NOT_STARTED
        return FAILED

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if not c.passed), None)


@dataclass
class GradeRun:
    """One submission graded: every exercise asked for, and how."""

    submission: str
    start_method: str
    seed: int
    exercises: list[ExerciseResult]
    execution_time: float = 0.0

    @property
    def score(self) -> int:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> int:
        return sum(e.max_score for e in self.exercises)

    @property
    def all_passed(self) -> bool:
        return all(e.status == PASSED for e in self.exercises)

    @property
    def next_exercise(self) -> ExerciseResult | None:
        """The first exercise, in catalogue order, that is not passed yet."""
        return next((e for e in self.exercises if e.status != PASSED), None)


    def to_dict(self) -> dict[str, Any]:
        """The run as plain JSON-ready data (see :func:`write_run`)."""
        return {
            "record_version": RECORD_VERSION,
            "submission": self.submission,
            "start_method": self.start_method,
            "seed": self.seed,
            "execution_time": self.execution_time,
            "exercises": [exercise_to_dict(e) for e in self.exercises],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GradeRun":
        """The run that :meth:`to_dict` gave ``data`` for; ValueError for a record this kit cannot read."""
        if data.get("record_version") != RECORD_VERSION:
            raise ValueError(f"not a grade record of version {RECORD_VERSION}: {data.get('record_version')!r}")
        return cls(
            submission=data["submission"], start_method=data["start_method"], seed=data["seed"],
            exercises=[exercise_from_dict(e) for e in data["exercises"]],
            execution_time=data.get("execution_time", 0.0),
        )


def exercise_to_dict(result: ExerciseResult) -> dict[str, Any]:
    return {
        "module": result.exercise.module, "duration": result.duration, "missing": result.missing,
        "untouched": result.untouched, "timings": result.timings,
        "checks": [asdict(c) for c in result.checks],
    }


def exercise_from_dict(data: dict[str, Any]) -> ExerciseResult:
    return ExerciseResult(
        exercise=find(data["module"]), checks=[CheckResult.from_line(c) for c in data["checks"]],
        duration=data.get("duration", 0.0), missing=data.get("missing", False),
        untouched=data.get("untouched", False), timings=data.get("timings", {}),
    )


def write_run(run: GradeRun, path: Path) -> None:
    """Write ``run`` to ``path`` as its JSON record (every message in every language), in one step."""
    write_text_atomically(Path(path), json.dumps(run.to_dict(), ensure_ascii=False) + "\n")


def read_run(path: Path) -> GradeRun:
    """The run recorded at ``path``; OSError when it cannot be read, ValueError when it is not a record."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as problem:
        raise ValueError(f"not a grade record: {problem}") from None
    try:
        return GradeRun.from_dict(data)
    except (KeyError, TypeError, AttributeError) as problem:
        raise ValueError(f"not a grade record: {problem!r}") from None
