"""The outcome of grading: per check, per exercise, per submission. Plain data for every report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .catalogue import Exercise

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
