"""The grader's own answers that no known mistake can be the first failure of: a check broken by a
bug of the grader, the checks left after one whose worker died, and the checks' branches that an
earlier check always fails first. (``grader.dev.keys`` names
these tests as what covers those keys.)
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from grader.checks import ex03_multitasking as ex03
from grader.checks import ex06_main_waits as ex06
from grader.checks import ex07_daemon as ex07
from grader.checks import ex11_cpu_speedup as ex11
from grader.checks import whole_program
from grader.checks.program_run import ProgramRun
from grader.checks.speed_race import SUM, TRIES, Attempt, OneProcess, Parallel, Race
from grader.checks.squares import squares_between
from grader.checks.whole_program import WORD
from grader import catalogue, host
from grader.grading import plugin, runner, worker
from grader.grading.host_channel import SeenCall
from grader.inside.observe import IN_NEW_PROCESS, Call
from grader.inside.program import Spec
from grader.messages import Mistake

from .conftest import SOLUTIONS, START_METHODS, describe, grade_one, submission_with

HOSTILE = Path(__file__).parent / "hostile"


def test_a_bug_in_a_check_is_reported_as_the_graders_error(tmp_path: Path) -> None:
    """A check that fails by an exception of its own (not a Mistake) is told as the grader's bug, by the
    worker's own pytest plugin."""
    broken = tmp_path / "test_broken_check.py"
    broken.write_text("def test_broken():\n    {}['a key the check forgot']\n", encoding="utf-8")
    results = tmp_path / "results.jsonl"
    pytest.main([str(broken), "-q", "-p", "no:cacheprovider", "--noconftest"], plugins=[plugin.ResultWriter(results)])
    failure = json.loads(results.read_text(encoding="utf-8").splitlines()[0])["failure"]
    assert failure["key"] == "grader_error", failure
    assert all("KeyError" in failure[lang] and "a key the check forgot" in failure[lang] for lang in ("en", "zh"))


def test_the_checks_after_one_that_killed_the_worker_are_not_checked(tmp_path: Path) -> None:
    method = "fork" if "fork" in START_METHODS else START_METHODS[0]
    folder = submission_with(tmp_path, "ex01_create_process", HOSTILE / "kills_its_interpreter.py")
    result = grade_one(folder, "ex01_create_process", method)
    keys = [check.key for check in result.checks]
    assert keys[0] == "grading_process_died" and len(keys) > 1, describe(result)
    assert set(keys[1:]) == {"not_checked"}, describe(result)
    assert all(result.checks[0].title["en"] in check.message("en") for check in result.checks[1:]), describe(result)


@pytest.mark.skipif(not host.FORKS_WORKERS, reason="the patch reaches the worker only where it is a fork")
def test_a_worker_ended_by_the_graders_own_error_is_told_as_the_graders(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that fails before its checks (the kit's bug, not the learner's code) blames the grader, with why."""

    def broken(module: str) -> None:
        raise RuntimeError("a bug in the worker")

    monkeypatch.setattr(worker, "find", broken)  # the worker is a fork of this process
    folder = submission_with(tmp_path, "ex01_create_process", SOLUTIONS / "ex01_create_process.py")
    result = runner.grade_exercise(folder, catalogue.find("ex01_create_process"), "fork", 1, tmp_path / "scratch")
    assert result.first_failure is not None and result.first_failure.key == "grader_error", describe(result)
    assert "a bug in the worker" in result.first_failure.failure["values"]["traceback"], describe(result)


# The checks' own branches that no case reaches first (an earlier check fails it before, the
# machine decides, or a case would cost too long), kept because each still guards a real way for
# code to go wrong: here each is reached by calling the check with the record that branch is for.

GRADER_PID, WORKER_PID = 1000, 1001


def _call(label: str, args: list[Any], pid: int = WORKER_PID, end: float | None = 2.0,
          output: list[tuple[float, str]] | None = None) -> Call:
    return Call(id=label, label=label, how=IN_NEW_PROCESS, pid=pid, ppid=GRADER_PID, parent_pid=GRADER_PID,
                process_name="Process-1", thread_name="MainThread", args=args, kwargs={}, called=1.0,
                start=1.0, end=end, rendezvous={"met": True}, output=output or [])


def _key(check: Callable[..., Any], *args: Any) -> str:
    with pytest.raises(Mistake) as raised:
        check(*args)
    return raised.value.key


def _program(function: str, calls: list[Call], num: int, delay: float, **record: Any) -> ProgramRun:
    spec = Spec(submission="s", module="m", function=function, task="work", word=WORD, args=(num, delay),
                start_method="spawn", folder="f", patience=2.0)
    record = {"called": 1.0, "returned": 1.1, "ending": 1.2, "first_line": 1.15, "task_parameters": WORK_PARAMETERS,
              "started": [{"pid": WORKER_PID, "daemon": function == "start_daemon_worker"}], **record}
    return ProgramRun(spec=spec, launched=0.0, exited=3.0, exitcode=0, timed_out=False, pid=GRADER_PID,
                      record=record, calls=calls)


def _work(num: int, delay: float) -> None:
    """The signature of the learner's work, which the checks bind a call's arguments to."""


# The same, as the program records it for the checker (which never imports the learner's module).
WORK_PARAMETERS = [{"name": "num", "kind": "POSITIONAL_OR_KEYWORD", "default": False},
                   {"name": "delay", "kind": "POSITIONAL_OR_KEYWORD", "default": False}]


def test_a_program_still_running_at_its_limit_is_told_it_hung() -> None:
    """A case would wait out the program's whole limit (10 s at least) under each start method."""
    run = dataclasses.replace(_program("start_worker", [], 3, 0.1), timed_out=True, exitcode=None)
    assert _key(whole_program.expect_program_ran, run) == "program_hung"


def test_a_singer_whose_process_outlived_sing_and_dance_is_told_it_was_still_alive() -> None:
    """A call that never ended (its process killed mid-song, or still singing after the wait), and a
    process still alive at the return though its call had ended."""
    show = ex03.Performance(num=2, delay=0.02, called=1.0, returned=3.0, caller=GRADER_PID,
                            parameters={"sing": WORK_PARAMETERS, "dance": WORK_PARAMETERS})
    unended = _sung("sing", end=None)
    show.calls = {"sing": [unended], "dance": [_sung("dance", pid=WORKER_PID + 1)]}
    assert _key(ex03.test_sing_and_dance_waits_for_both, show) == "still_alive"
    show.calls["sing"] = [_sung("sing", end=2.0)]
    show.alive_at_return = [{"pid": WORKER_PID, "name": "Process-1"}]
    assert _key(ex03.test_sing_and_dance_waits_for_both, show) == "still_alive"


def _sung(label: str, pid: int = WORKER_PID, end: float | None = 2.0) -> ex03.Sung:
    """A call of sing or dance(2, 0.02) as the witness saw it, in a child of the caller, having met the other."""
    call = SeenCall(label=label, pid=pid, parent=GRADER_PID, grandparent=None, parent_is_forkserver=False,
                    how=IN_NEW_PROCESS, process_name="Process-1", thread_name="MainThread", args=[2, 0.02],
                    kwargs={}, start=1.0, end=end, exited=end, error=None, witnessed=True)
    return ex03.Sung(call, met=True)


def test_a_worker_that_printed_more_lines_in_the_program_than_asked_is_told_so() -> None:
    """work printed num lines when called alone, more in the program (nothing the learner's own work
    can do, short of printing differently in a child): the program's count is judged on its own."""
    lines = [(1.0 + 0.1 * i, f"{WORD}\n") for i in range(4)]
    run = _program("start_worker", [_call("work", [3, 0.1], output=lines)], 3, 0.1)
    assert _key(ex06.test_program_waits_for_the_worker, run, None) == "too_many_lines"


def test_a_daemon_that_never_printed_or_outlived_the_program_is_told_so() -> None:
    num, delay = 50, 0.1
    early = [(1.0 + delay * i, f"{WORD}\n") for i in range(3)]
    never = _program("start_daemon_worker", [_call("work", [num, delay], end=None)], num, delay, first_line=None)
    assert _key(ex07.test_daemon_stops_with_the_program, never, None) == "never_worked"
    outlived = _program("start_daemon_worker", [_call("work", [num, delay], end=None, output=early)], num, delay)
    outlived.left_behind = [{"pid": WORKER_PID, "command": "python", "helper": False}]
    assert _key(ex07.test_daemon_stops_with_the_program, outlived, None) == "daemon_outlived_program"


def _race(parent_cpu: float, part_wall: float, after: float) -> Race:
    """A race of three attempts whose two parts were right and ran at once, each needing 0.725 s of
    CPU (half of one process's 1.45 s) and taking ``part_wall`` s; the call went on ``after`` s
    after they ended, and its caller used ``parent_cpu`` s of CPU."""
    stop = 1000
    race = Race(stop=stop, patience=2.0, work=1.45)
    for _ in range(TRIES):
        parts = [_call(SUM, [0, stop // 2], pid=WORKER_PID, end=1.0 + part_wall),
                 _call(SUM, [stop // 2, stop], pid=WORKER_PID + 1, end=1.0 + part_wall)]
        for part in parts:
            part.cpu = 0.725
        run = Parallel(stop, race.workers, called=1.0, returned=1.0 + part_wall + after,
                       result=squares_between(0, stop), parent_cpu=parent_cpu, calls=parts)
        race.attempts.append(Attempt(OneProcess(seconds=1.5, computing=1.45, cpu=1.45), run))
    return race


def test_a_parallel_call_not_faster_on_two_free_cores_is_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a machine's cores are free is not the grader's to choose, so no case can be sure to
    reach not_faster: the verdict is reached here from attempts measured as it describes. The
    calling process burning a core while it waits is the learner's doing, whatever the machine;
    on free cores, a call that waited a second after its parts had ended is slow by its own doing;
    parts slowed by a busy machine are not held against the call."""
    monkeypatch.setattr(ex11, "usable_cores", lambda: 2)
    grading = SimpleNamespace(pid=GRADER_PID, start_method="spawn")
    notes: list[str] = []
    feedback = SimpleNamespace(note=lambda key, **values: notes.append(key))
    hogging, waiting = _race(parent_cpu=1.3, part_wall=0.725, after=0.6), _race(0.0, 0.725, after=1.0)
    for race in (hogging, waiting):
        assert _key(ex11.test_faster_than_one_process, race, grading, feedback) == "not_faster"
    ex11.test_faster_than_one_process(_race(0.0, part_wall=1.5, after=0.0), grading, feedback)
    assert notes == ["machine_busy"]
