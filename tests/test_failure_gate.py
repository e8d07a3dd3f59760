"""The failure gate's two halves: which calls a child lets past the gate, and how the caller's wait is read."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from grader.grading.failure_gate import waits_for_more
from grader.inside import tasks
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


def _state_of(target, is_learner_file) -> str:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    time.sleep(0.2)
    return waits_for_more(sys._current_frames().get(thread.ident), is_learner_file)


def test_a_caller_blocked_on_what_has_not_come_waits_one_in_its_own_sleep_sleeps() -> None:
    never = threading.Event()
    assert _state_of(lambda: never.wait(2), lambda path: path == __file__) == "waiting"
    assert _state_of(lambda: time.sleep(2), lambda path: path == __file__) == "sleeping"
