"""The runner's clock of each check (grader/grading/deadlines.py): a check whose stop is swallowed is
stopped on its own limit, not the sum of the exercise's; a check that ends on time, however close
to its limit, is never cut short; the whole worker keeps its old bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import catalogue
from grader.checks import Check
from grader.grading import deadlines, runner
from grader.messages import Text

from .test_isolation import children_now, hostile_copy, leftovers


class FakeTime:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    clock = FakeTime()
    monkeypatch.setattr(deadlines.time, "monotonic", clock)
    return clock


def _checks(*own_limits: float | None) -> list[Check]:
    return [Check(f"test_{i}", Text(f"check {i}", f"检查 {i}"), time_limit=limit) for i, limit in enumerate(own_limits)]


def test_each_check_has_its_own_clock_from_the_previous_result(fake_time: FakeTime) -> None:
    lines = [0]
    clock = deadlines.Clock(_checks(None, 30.0, None), 4.0, 1.0, lambda: lines[0])
    assert clock.total == 4 + 30 + 4 + 3 * 1.0 + deadlines.WORKER_MARGIN
    first = 4 + 1.0 + deadlines.WORKER_MARGIN  # from the fork: the worker's margin for its start
    fake_time.now += first - 0.01
    assert clock.overdue() is None and clock.left() == pytest.approx(0.01)
    lines[0] = 1  # the first check's line arrives just in time: the second check's clock starts now
    assert clock.overdue() is None
    fake_time.now += 30 + 1.0 + deadlines.CHECK_MARGIN - 0.01  # its own limit counts, not the run's
    assert clock.overdue() is None
    fake_time.now += 0.02
    assert clock.overdue() == 30.0


def test_the_first_check_is_stopped_after_its_limit_and_the_margin(fake_time: FakeTime) -> None:
    clock = deadlines.Clock(_checks(None, None), 3.0, 0.0, lambda: 0)
    fake_time.now += 3 + deadlines.WORKER_MARGIN + 0.01
    assert clock.overdue() == 3.0


def test_once_every_line_is_in_only_the_whole_deadline_holds(fake_time: FakeTime) -> None:
    lines = [0]
    clock = deadlines.Clock(_checks(None, None), 3.0, 0.0, lambda: lines[0])
    lines[0] = 2
    assert clock.overdue() is None
    fake_time.now += clock.total - 0.01  # the worker's end: stopping what is left may take the margin
    assert clock.overdue() is None
    fake_time.now += 0.02
    assert clock.overdue() == clock.total
    assert clock.left() == 0.0


def test_the_clock_bounds_the_worker_as_the_old_deadline_did() -> None:
    checks = runner.checks_of(catalogue.find("ex10"))
    clock = deadlines.Clock(checks, 15.0, 0.0, lambda: 0)
    assert clock.total == runner.worker_deadline(checks, 15.0)


def test_a_hang_that_swallows_its_stop_is_stopped_on_the_checks_own_clock(tmp_path: Path) -> None:
    """hangs_in_call catches the time-out in the learner host: the checker's result never comes. The runner
    stops the worker after the first check's limit and the start margin, not after all three checks' limits."""
    folder = tmp_path / "submission"
    folder.mkdir()
    nap = hostile_copy("hangs_in_call", folder)
    before = children_now()
    timeout = 3.0
    exercise = catalogue.find("ex01")
    run = runner.grade(folder, [exercise], "fork", seed=1, timeout=timeout)
    result = run.exercises[0]
    first = result.first_failure
    assert first is not None and first.key == "timeout", first
    assert first.failure["values"]["seconds"] == timeout  # the check's own limit, as the learner set it
    assert [c.key for c in result.checks[1:]] == ["not_checked"] * (len(result.checks) - 1)
    grace = runner.worker.HOST_GRACE
    own_clock = timeout + grace + deadlines.WORKER_MARGIN  # what the first check's clock allows
    whole = runner.worker_deadline(runner.checks_of(exercise), timeout) + len(result.checks) * grace
    assert result.duration < (own_clock + whole) / 2, result.duration  # stopped on its own clock, not the sum
    assert leftovers(nap, before=before) == []


PLAIN_HANG = '''
import multiprocessing, time

def make_process(target, name):
    time.sleep(1000)  # stopped by the grader's alarm at the limit, every check
    return multiprocessing.Process(target=target, name=name)
'''


def test_checks_stopped_on_time_each_get_a_full_clock(tmp_path: Path) -> None:
    """A plain hang is stopped inside the worker at each check's limit: every check runs and says so,
    none is cut short by the runner's clock of the one before."""
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "ex01_create_process.py").write_text(PLAIN_HANG, encoding="utf-8")
    run = runner.grade(folder, [catalogue.find("ex01")], "fork", seed=1, timeout=2.0)
    keys = [c.key for c in run.exercises[0].checks]
    assert keys == ["timeout"] * len(keys), keys
