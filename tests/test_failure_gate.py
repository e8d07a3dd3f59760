"""The failure gate's two halves: which calls a child lets past the gate, and how the caller's wait is read."""

from __future__ import annotations

import concurrent.futures
import threading
import time
from pathlib import Path
from typing import Callable

from grader.grading.failure_gate import FailureGate
from grader.inside import gates, tasks
from grader.inside.gates import Gate


def mapstar(calls: list[tuple]) -> list[Gate | None]:
    """Named like the pool's chunk runner: the calls made here are one chunk."""
    return [tasks._gate_for(*call) for call in calls]


def test_the_failing_copy_and_its_chunk_go_straight_on_the_others_wait(tmp_path: Path) -> None:
    gate = Gate(str(tmp_path), patience=1.0)
    victim = "bad (1).txt"
    assert tasks._gate_for(gate, victim, (f"/src/{victim}", f"/dst/{victim}"), {}) is None
    assert tasks._gate_for(gate, victim, ((f"sub/{victim}", f"/src/{victim}", "/dst/x"),), {}) is None  # a job tuple
    assert tasks._gate_for(gate, victim, ("/src/other.txt", "/dst/other.txt"), {}) is gate
    assert tasks._gate_for(gate, None, (f"/src/{victim}",), {}) is gate
    try:
        chunk = [(gate, victim, (f"/src/{victim}",), {}), (gate, victim, ("/src/next.txt",), {})]
        assert mapstar(chunk) == [None, None]
        assert mapstar([(gate, victim, ("/src/later.txt",), {})]) == [gate]  # another chunk waits
    finally:
        tasks._free_chunks.clear()


def _gate_after(tmp_path: Path, caller: Callable[[concurrent.futures.Future, concurrent.futures.Future], None],
                fail_first: bool = True) -> str:
    """Run ``caller(victim, other)`` as the learner's caller with a failure gate up; another thread
    makes ``victim`` fail (once the caller has had time to block), then finishes ``other`` a little
    later. Returns why the gate opened before the call ended ("" if it did not)."""
    victim: concurrent.futures.Future = concurrent.futures.Future()
    other: concurrent.futures.Future = concurrent.futures.Future()
    keeper = FailureGate(Gate(str(tmp_path), patience=1.0))

    def pool_side() -> None:
        time.sleep(0.1)
        victim.set_exception(OSError("the copy of bad.txt failed"))
        time.sleep(0.3)  # the caller reacts (or not) to the failure
        other.set_result("done")

    with keeper:
        helper = threading.Thread(target=pool_side)
        helper.start()
        caller(victim, other)
        why = keeper.opened_because
    helper.join()
    assert Path(tmp_path, gates.OPEN, gates.EVERYONE).exists()  # leaving lets everyone through
    return why


def test_a_caller_still_waiting_when_the_failure_comes_opens_the_gate(tmp_path: Path) -> None:
    assert _gate_after(tmp_path, lambda victim, other: other.result()) == "waiting when the failure came"


def test_a_caller_woken_by_the_failure_that_leaves_keeps_the_gate_shut(tmp_path: Path) -> None:
    def leaves(victim: concurrent.futures.Future, other: concurrent.futures.Future) -> None:
        assert victim.exception() is not None

    assert _gate_after(tmp_path, leaves) == ""


def test_a_caller_that_goes_on_waiting_after_the_failure_opens_it(tmp_path: Path) -> None:
    def reads_all(victim: concurrent.futures.Future, other: concurrent.futures.Future) -> None:
        victim.exception()
        other.result()

    assert _gate_after(tmp_path, reads_all) == "waited after the failure"


def test_joining_a_thread_after_the_failure_is_waiting(tmp_path: Path) -> None:
    # From Python 3.13 Thread.join blocks in C with no frame to read: the wrapper sees it anyway.
    def joins(victim: concurrent.futures.Future, other: concurrent.futures.Future) -> None:
        victim.exception()
        worker = threading.Thread(target=other.result)
        worker.start()
        worker.join()

    assert _gate_after(tmp_path, joins) == "waited after the failure"


def test_one_sleep_after_the_failure_is_not_waiting_a_second_is(tmp_path: Path) -> None:
    def sleeps(times: int) -> Callable[[concurrent.futures.Future, concurrent.futures.Future], None]:
        def caller(victim: concurrent.futures.Future, other: concurrent.futures.Future) -> None:
            while not victim.done():
                time.sleep(0.01)
            for _ in range(times):
                time.sleep(0.01)
        return caller

    assert _gate_after(tmp_path / "once", sleeps(0)) == ""
    assert _gate_after(tmp_path / "twice", sleeps(2)) == "slept again after the failure"


def test_asking_twice_about_the_same_unfinished_copy_is_polling(tmp_path: Path) -> None:
    def polls_once(victim: concurrent.futures.Future, other: concurrent.futures.Future) -> None:
        while not victim.done():
            pass
        other.done()

    def polls(victim: concurrent.futures.Future, other: concurrent.futures.Future) -> None:
        while not victim.done():
            pass
        while not other.done():
            pass

    assert _gate_after(tmp_path / "once", polls_once) == ""
    assert _gate_after(tmp_path / "loop", polls) == "polled after the failure"


def test_the_wrappers_are_gone_after_the_call(tmp_path: Path) -> None:
    before = (concurrent.futures.Future.result, threading.Thread.join, time.sleep)
    with FailureGate(Gate(str(tmp_path), patience=1.0)):
        assert concurrent.futures.Future.result is not before[0]
    assert (concurrent.futures.Future.result, threading.Thread.join, time.sleep) == before
