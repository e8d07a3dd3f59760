"""The gatekeeper lets a held child through only to a caller that waits for it, whatever the schedule.

The callers below stand for the learner's code (this file is "the learner's"); their children run
the grader's ``pause`` task behind the gate. What is asserted is the gate's own evidence (who was
let through, who was still held at return), which the ex02, ex03, ex05 and ex09 checks judge.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from grader.grading.gatekeeper import Gatekeeper, gatekeeper
from grader.inside import gates, tasks
from grader.inside.observe import StartedProcess

COUNT = 3
Caller = Callable[[Callable[[], Any]], list]


def _graded(tmp_path: Path, caller: Caller, outwait_timeouts: bool = False) -> tuple[Gatekeeper, list[int]]:
    """Run ``caller`` (given a function that starts one gated child) under a gatekeeper; its evidence and the pids."""
    context = multiprocessing.get_context("fork")
    entries: list[StartedProcess] = []
    gate, keeper = gatekeeper(tmp_path / "gate", lambda: list(entries), lambda name: name == __file__,
                              start_cost=0.01, time_limit=10.0, expected=COUNT, outwait_timeouts=outwait_timeouts)

    def start() -> Any:
        process = context.Process(target=tasks.pause, kwargs={"delay": 0.02, "gate": gate})
        began = time.monotonic()
        process.start()
        entries.append(StartedProcess(process, process.pid, process.name, False, began, "grader.inside.tasks.pause"))
        return process

    with keeper:
        processes = caller(start)
    for process in processes:
        process.join(10)
    return keeper, [p.pid for p in processes]


def _joins_all(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    for process in processes:
        process.join()
    return processes


def _polls_all(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    while any(p.is_alive() for p in processes):
        time.sleep(0.005)
    return processes


def _waits_on_all_sentinels(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    waiting = [p.sentinel for p in processes]
    while waiting:
        ready = multiprocessing.connection.wait(waiting)
        waiting = [s for s in waiting if s not in ready]
    return processes


def _joins_first_only(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    processes[0].join()
    return processes


def _polls_first_only(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    while processes[0].is_alive():
        time.sleep(0.005)
    return processes


def _waits_on_first_sentinel(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    multiprocessing.connection.wait([processes[0].sentinel])
    return processes


def _joins_last_only(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    processes[-1].join()
    return processes


def _sleeps(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    time.sleep(0.3)
    return processes


def _joins_each_with_a_timeout(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    for process in processes:
        process.join(0.2)
    return processes


def _joins_each_in_a_timed_loop(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    for process in processes:
        while process.exitcode is None:
            process.join(0.05)
    return processes


def _joins_each_briefly_then_polls(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    for process in processes:
        process.join(0.05)
        while process.is_alive():
            time.sleep(0.005)
    return processes


def _waits_on_sentinels_once_with_a_timeout(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    multiprocessing.connection.wait([p.sentinel for p in processes], timeout=0.3)
    return processes


def _waits_on_sentinels_in_a_timed_loop(start: Callable[[], Any]) -> list:
    processes = [start() for _ in range(COUNT)]
    waiting = [p.sentinel for p in processes]
    while waiting:
        for ready in multiprocessing.connection.wait(waiting, timeout=0.05):
            waiting.remove(ready)
    return processes


def _one_at_a_time(start: Callable[[], Any]) -> list:
    processes = []
    for _ in range(COUNT):
        processes.append(start())
        processes[-1].join()
    return processes


@pytest.mark.parametrize("caller", [_joins_all, _polls_all, _waits_on_all_sentinels])
def test_a_caller_that_waits_for_all_has_every_child_let_through(caller: Caller, tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, caller)
    assert keeper.unfinished_at_return == []
    assert sorted(keeper.released) == sorted(pids)
    assert not keeper.waited_before_starting_all


@pytest.mark.parametrize("caller", [_joins_first_only, _polls_first_only, _waits_on_first_sentinel])
def test_a_caller_that_waits_for_the_first_only_returns_with_the_others_held(caller: Caller, tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, caller)
    assert keeper.released == [pids[0]]
    assert keeper.unfinished_at_return == sorted(pids[1:])


def test_a_caller_that_waits_for_the_last_only_returns_with_the_others_held(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _joins_last_only)
    assert keeper.released == [pids[-1]]
    assert keeper.unfinished_at_return == sorted(pids[:-1])


def test_a_caller_that_sleeps_without_looking_has_none_let_through(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _sleeps)
    assert keeper.released == []
    assert keeper.unfinished_at_return == sorted(pids)


def test_a_caller_that_waits_before_starting_all_is_seen(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _one_at_a_time)
    assert keeper.waited_before_starting_all
    assert keeper.started_when_first_waited == 1
    assert keeper.released == pids
    assert keeper.unfinished_at_return == []


def test_a_timed_join_outwaited_returns_with_the_child_held(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _joins_each_with_a_timeout, outwait_timeouts=True)
    assert keeper.released == []
    # Each join gave up in turn; one whose child was not yet at the gate (a start slower than 0.2 s on a
    # loaded machine) gave up with nothing held to outwait, so only a part may be named.
    assert keeper.outwaited and set(keeper.outwaited) <= set(pids)
    assert set(keeper.outwaited.values()) == {0.2}
    assert keeper.unfinished_at_return == sorted(pids)


def test_a_loop_of_timed_joins_outwaited_has_every_child_let_through(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _joins_each_in_a_timed_loop, outwait_timeouts=True)
    assert keeper.unfinished_at_return == []
    assert sorted(keeper.released) == sorted(pids)
    assert set(keeper.outwaited) == set(pids)


def test_a_timed_join_then_polls_until_done_has_every_child_let_through(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _joins_each_briefly_then_polls, outwait_timeouts=True)
    assert keeper.unfinished_at_return == [] and sorted(keeper.released) == sorted(pids)
    assert keeper.outwaited  # the first join did give up, and the polls after it were waiting


def test_a_sentinel_wait_with_a_timeout_outwaited_returns_with_a_child_held(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _waits_on_sentinels_once_with_a_timeout, outwait_timeouts=True)
    assert keeper.outwaited and set(keeper.outwaited) <= set(keeper.unfinished_at_return)


def test_a_loop_of_timed_sentinel_waits_outwaited_has_every_child_let_through(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _waits_on_sentinels_in_a_timed_loop, outwait_timeouts=True)
    assert keeper.unfinished_at_return == [] and sorted(keeper.released) == sorted(pids)
    assert keeper.outwaited


def test_a_child_outwaited_stays_held_once_the_caller_waits_for_another(tmp_path: Path) -> None:
    """A look at the stack taken as the caller moved on still names the child it gave up on: it must not go."""
    keeper = Gatekeeper(gates.Gate(str(tmp_path), 1.0), list, lambda name: True, outwait_timeouts=5.0)
    keeper._looks.timed_wait, keeper._looks.last_waited, keeper._looks.waits_begun = (frozenset({101}), 1.0), frozenset({101}), 1
    assert keeper._outwaits(101, "waiting") and keeper.outwaited == {101: 1.0}
    keeper._looks.timed_wait, keeper._looks.last_waited, keeper._looks.waits_begun = (frozenset({102}), 1.0), frozenset({102}), 2
    assert keeper._outwaits(101, "waiting")  # gone on to wait for 102: 101 stays held
    keeper._looks.last_waited, keeper._looks.waits_begun = frozenset({101}), 3
    assert not keeper._outwaits(101, "waiting")  # waits for 101 again: it goes


def test_without_outwaiting_a_timed_join_counts_as_waiting(tmp_path: Path) -> None:
    keeper, pids = _graded(tmp_path, _joins_each_in_a_timed_loop)
    assert keeper.unfinished_at_return == [] and keeper.outwaited == {}


def test_a_grandchild_at_the_gate_goes_while_the_caller_waits_for_its_parent(tmp_path: Path) -> None:
    """No verdict on waiting rests on a process the caller did not start (the checks fail it as not its
    child); held, it would keep the caller's own child, and the caller, waiting out the gate's patience."""
    context = multiprocessing.get_context("fork")
    gate, keeper = gatekeeper(tmp_path / "gate", lambda: list(entries), lambda name: name == __file__,
                              start_cost=0.01, time_limit=10.0, expected=1)
    entries: list[StartedProcess] = []

    def middle() -> None:
        grandchild = context.Process(target=tasks.pause, kwargs={"delay": 0.02, "gate": gate})
        grandchild.start()
        grandchild.join()

    began = time.monotonic()
    with keeper:
        process = context.Process(target=middle)
        process.start()
        entries.append(StartedProcess(process, process.pid, process.name, False, began, "middle"))
        process.join(30)
    took = time.monotonic() - began
    assert process.exitcode == 0
    assert took < gate.patience, f"the caller waited {took:.1f} s, the gate's patience"
    assert keeper.released == [] and keeper.unfinished_at_return == []
