"""grader.grading.caller_stuck: a call is stopped early only once it has been settled for its grace."""

from __future__ import annotations

import signal
import threading
import time
from typing import Iterator

import pytest

from grader.grading.caller_stuck import CallerStuck, grace_after_settled

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers here")


class Stopped(Exception):
    """What the stand-in for the check's limit raises."""


@pytest.fixture
def limit() -> Iterator[None]:
    """A check's limit as pytest-timeout's signal method sets one: SIGALRM in 30 s raises Stopped
    (the suite's own limit for this test, when there is one, is put back afterwards)."""

    def stop(_signum: int, _frame: object) -> None:
        raise Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    suite_limit = signal.setitimer(signal.ITIMER_REAL, 30.0)[0]
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)
    if suite_limit > 0:
        signal.setitimer(signal.ITIMER_REAL, suite_limit)


def test_a_call_that_stays_settled_is_stopped_after_its_grace_not_before(limit: None) -> None:
    began = time.monotonic()
    stuck = CallerStuck(lambda: time.monotonic() - began > 0.2, grace=0.3)
    with pytest.raises(Stopped):
        with stuck:
            threading.Event().wait(10)  # waits for something that never comes
    took = time.monotonic() - began
    assert stuck.fired and stuck.settled_for >= 0.3
    assert 0.5 <= took < 3.0, took


def test_a_call_that_is_not_settled_keeps_the_limit_and_one_that_returns_is_left_alone(limit: None) -> None:
    unsettled = CallerStuck(lambda: False, grace=0.0)
    with unsettled:
        time.sleep(0.3)
    settled = CallerStuck(lambda: True, grace=0.5)
    with settled:
        time.sleep(0.2)  # returns inside its grace
    time.sleep(0.6)  # no alarm is left behind either
    assert not unsettled.fired and not settled.fired
    assert signal.getitimer(signal.ITIMER_REAL)[0] > 25  # the check's limit is untouched


def test_settled_must_hold_for_the_whole_grace_without_a_break(limit: None) -> None:
    answers = iter([True] * 4 + [False] + [True] * 1000)
    stuck = CallerStuck(lambda: next(answers), grace=0.3)
    began = time.monotonic()
    with pytest.raises(Stopped):
        with stuck:
            threading.Event().wait(10)
    assert time.monotonic() - began >= 0.25 + 0.3  # the break started the grace again


def test_the_grace_grows_with_the_start_cost_measured() -> None:
    assert grace_after_settled(0.0) == 1.0
    assert grace_after_settled(0.5) > grace_after_settled(0.05) > 1.0
