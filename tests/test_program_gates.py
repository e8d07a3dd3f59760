"""The whole-program harness's second gate: a worker held after its first line goes on only when the program lets it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from grader.inside import capture
from grader.inside.program_gates import JOINED, LIMIT, MAIN_GONE, ProgramGates, _HoldAfterFirstLine

WORD = "工作中。。。。"


def _held(gates: ProgramGates) -> threading.Thread:
    """A worker's thread held at the second gate (the hold blocks the thread that prints)."""
    thread = threading.Thread(target=gates.hold)
    thread.start()
    while not gates.holds():
        thread.join(0.001)
    return thread


def test_a_held_worker_goes_on_only_once_the_main_process_joins(tmp_path: Path) -> None:
    gates = ProgramGates(str(tmp_path), WORD, patience=30.0, main_pid=os.getpid())
    worker = _held(gates)
    worker.join(0.05)
    assert worker.is_alive() and "why" not in gates.holds()[0]
    gates.let_go(pid=None)
    worker.join(5)
    assert not worker.is_alive()
    assert gates.holds()[0]["why"] == JOINED


def test_a_held_worker_goes_on_when_the_main_process_has_gone_and_says_so(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: its pid names no process any more
    gates = ProgramGates(str(tmp_path), WORD, patience=30.0, main_pid=gone.pid)
    _held(gates).join(5)
    assert gates.holds()[0]["why"] == MAIN_GONE


def test_a_held_worker_goes_on_after_the_patience_when_nothing_happens(tmp_path: Path) -> None:
    gates = ProgramGates(str(tmp_path), WORD, patience=0.05, main_pid=os.getpid())
    _held(gates).join(5)
    hold = gates.holds()[0]
    assert hold["why"] == LIMIT and hold["released"] - hold["arrived"] >= 0.05


class _CountingGates:
    word = WORD

    def __init__(self) -> None:
        self.holds = 0

    def hold(self) -> None:
        self.holds += 1


def test_the_worker_is_held_once_right_after_its_first_line_however_the_line_is_cut(tmp_path: Path) -> None:
    gates = _CountingGates()
    stdout = _HoldAfterFirstLine(sys.stdout, gates)  # type: ignore[arg-type]
    saved, sys.stdout = sys.stdout, stdout
    try:
        log = capture.OutputLog(tmp_path / "out.jsonl")
        restore = capture.capture_stdout_into(log)
        try:
            print("worker starts")
            assert gates.holds == 0
            sys.stdout.write(WORD[:3])
            assert gates.holds == 0
            sys.stdout.write(WORD[3:] + "\n")
            assert gates.holds == 1
            print(WORD)
            assert gates.holds == 1
        finally:
            restore()
            log.close()
    finally:
        sys.stdout = saved
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("worker starts") == 1


def test_output_outside_a_probe_is_never_held(tmp_path: Path) -> None:
    gates = _CountingGates()
    stdout = _HoldAfterFirstLine(open(tmp_path / "real.txt", "w", encoding="utf-8"), gates)  # type: ignore[arg-type]
    stdout.write(WORD + "\n")
    assert gates.holds == 0
