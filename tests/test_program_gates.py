"""The whole-program harness's second gate: a worker held before its last line goes on only when the program lets it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from grader.inside import capture
from grader.inside.call_records import record_lines
from grader.inside.program_gates import JOINED, LIMIT, MAIN_GONE, ProgramGates, _HoldBeforeLastLine
from grader.inside.records import OUT

WORD = "工作中。。。。"


def _held(gates: ProgramGates) -> threading.Thread:
    """A worker's thread held at the second gate (the hold blocks the thread that prints)."""
    thread = threading.Thread(target=gates.hold)
    thread.start()
    while not gates.holds():
        thread.join(0.001)
    return thread


def test_a_held_worker_goes_on_only_once_the_main_process_joins(tmp_path: Path) -> None:
    gates = ProgramGates(str(tmp_path), WORD, 3, patience=30.0, main_pid=os.getpid())
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
    gates = ProgramGates(str(tmp_path), WORD, 3, patience=30.0, main_pid=gone.pid)
    _held(gates).join(5)
    assert gates.holds()[0]["why"] == MAIN_GONE


def test_a_held_worker_goes_on_after_the_patience_when_nothing_happens(tmp_path: Path) -> None:
    gates = ProgramGates(str(tmp_path), WORD, 3, patience=0.05, main_pid=os.getpid())
    _held(gates).join(5)
    hold = gates.holds()[0]
    assert hold["why"] == LIMIT and hold["released"] - hold["arrived"] >= 0.05


class _CountingGates:
    word = WORD
    lines = 3

    def __init__(self, log: Path) -> None:
        self.log = log
        self.lines_when_held: list[int] = []

    def written(self) -> str:
        return "".join(line["text"] for line in record_lines(self.log) if line["kind"] == OUT)

    def hold(self) -> None:
        self.lines_when_held.append(self.written().count(WORD))


def test_the_worker_is_held_once_before_the_write_that_ends_its_last_line(tmp_path: Path) -> None:
    gates = _CountingGates(tmp_path / "calls")
    stdout = _HoldBeforeLastLine(sys.stdout, gates)  # type: ignore[arg-type]
    saved, sys.stdout = sys.stdout, stdout
    try:
        log = capture.OutputLog(str(gates.log), "the-call")
        restore = capture.capture_stdout_into(log)
        try:
            print("worker starts")
            print(WORD)
            sys.stdout.write(WORD[:3])  # a line cut into two writes counts once
            sys.stdout.write(WORD[3:] + "\n")
            assert gates.lines_when_held == []
            print(WORD)
            print(WORD)
        finally:
            restore()
            log.close()
    finally:
        sys.stdout = saved
    assert gates.lines_when_held == [2]  # held with two lines written, the third still to come
    assert gates.written().count(WORD) == 4


def test_output_outside_a_probe_is_never_held(tmp_path: Path) -> None:
    gates = _CountingGates(tmp_path / "calls")
    stdout = _HoldBeforeLastLine(open(tmp_path / "real.txt", "w", encoding="utf-8"), gates)  # type: ignore[arg-type]
    stdout.write((WORD + "\n") * 4)
    assert gates.lines_when_held == []
