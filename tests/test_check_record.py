"""A check is a record: made once by @check, read by the runner, the plugin and the reports."""

from __future__ import annotations

import dataclasses

import pytest

from grader import catalogue
from grader.checks import Check, check_named
from grader.grading import runner
from grader.messages import Text


def test_every_check_of_the_catalogue_is_a_record_with_titles_points_and_a_limit() -> None:
    for exercise in catalogue.EXERCISES:
        checks = runner.checks_of(exercise)
        assert checks, exercise.id
        for found in checks:
            assert isinstance(found, Check) and found.name.startswith("test_")
            assert isinstance(found.title, Text) and found.title.en and found.title.zh
            assert found.points >= 1 and (found.time_limit is None or found.time_limit > 0)
            assert check_named(f"grader.checks.{exercise.module}", found.name) is found


def test_the_record_is_frozen_and_carries_the_limit_and_blame_given_to_check() -> None:
    race = check_named("grader.checks.ex11_cpu_speedup", "test_faster_than_one_process")
    assert (race.points, race.time_limit, race.blame) == (2, 60.0, "parallel_sum_of_squares")
    with pytest.raises(dataclasses.FrozenInstanceError):
        race.points = 3  # type: ignore[misc]


def test_a_worker_that_died_fails_its_checks_with_the_check_named() -> None:
    first = runner.checks_of(catalogue.find("ex01"))[0]
    failed = runner.failed_check(first, "grading_process_died", exitcode=-9, check=first.title.en)
    assert failed.key == "grading_process_died" and first.title.en in failed.message("en")
    assert failed.title == {"en": first.title.en, "zh": first.title.zh} and not failed.passed
