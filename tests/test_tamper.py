"""Code that reaches into the grader gets nothing for it: each cheat in tests/cheats/ (an ex03 that does
nothing, plus a trick read from the grader's source) is reported as tampering or fails on what it did.

Every exercise is graded across the trust boundary, so a cheat runs in the learner host, where the
detector watches too; the boundary alone already gives a forger of results nothing. (While an exercise
was still graded in one process, the same tricks took full points there without the detector.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import catalogue
from grader.grading import evidence, runner

from .conftest import CASES, SOLUTIONS, describe  # noqa: F401 - CASES: the casebook, graded in test_mistakes

CHEATS = Path(__file__).parent / "cheats"
EX03 = catalogue.find("ex03")

# cheat -> the keys its first failing check may have: tampering, or what the trick did to the worker.
EXPECTED = {
    "patch_plugin_import": {"tampered"},
    "patch_plugin_hidden": {"tampered"},
    "patch_pytest_report": {"tampered"},
    # No audit event for a module's name: the seal of pytest's code, compared once the host's channel closed.
    "patch_pytest_module": {"tampered"},
    "gc_forge": {"tampered"},
    "proc_fd_forge": {"tampered"},
    "scratch_forge_exit": {"tampered"},
    "scratch_forge_low": {"tampered"},
    "fake_clock": {"tampered"},
    "fake_clock_plain": {"tampered"},
    "fake_pid": {"tampered"},
    "forged_rendezvous": {"tampered"},
    "frames": {"tampered"},
    "traceback_frames": {"tampered"},
    "ctypes_memory": {"tampered"},
    "stops_the_runner": {"tampered"},
    "child_signals_worker": {"tampered"},
    # With the pipe gone, the hook's next report kills the grading process instead.
    "closes_the_pipe": {"tampered", "grading_process_died"},
    "replaces_the_pipe": {"tampered", "grading_process_died"},
    # No audit event on a walk through attributes and containers; with pytest's Config no longer
    # held by a module, the walk finds no result writer and the code is graded for what it did.
    "walks_the_heap": {"never_ran"},
}


def cheat(tmp_path: Path, name: str) -> Path:
    """A submission whose ex03 is the empty module with the cheat ``name`` after it."""
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    source = (CHEATS / "_empty.py").read_text(encoding="utf-8") + "\n\n" + (CHEATS / f"{name}.py").read_text(encoding="utf-8")
    (folder / EX03.filename).write_text(source, encoding="utf-8")
    return folder


def grade(folder: Path, start_method: str, tmp_path: Path, tamper_evidence: bool = True):
    return runner.grade_exercise(folder, EX03, start_method, 1, tmp_path / "scratch", timeout=5,
                                 tamper_evidence=tamper_evidence)


def test_every_cheat_is_listed() -> None:
    assert sorted(EXPECTED) == sorted(p.stem for p in CHEATS.glob("*.py") if not p.stem.startswith("_"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_cheat_gets_nothing_for_it(name: str, tmp_path: Path) -> None:
    result = grade(cheat(tmp_path, name), "fork", tmp_path)
    assert result.score == 0, describe(result)
    keys = {c.key for c in result.checks}
    assert keys & EXPECTED[name], describe(result)  # the check where the trick ran says what it did
    first = result.first_failure
    assert first is not None
    if "tampered" in keys:
        assert all(c.key == "tampered" for c in result.checks), describe(result)
        assert "0 points" in first.message("en") and "0 分" in first.message("zh")


@pytest.mark.parametrize("name", ["patch_plugin_hidden", "scratch_forge_exit", "fake_clock", "forged_rendezvous"])
@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
def test_a_cheat_gets_nothing_under_other_start_methods(name: str, start_method: str, tmp_path: Path) -> None:
    result = grade(cheat(tmp_path, name), start_method, tmp_path)
    assert result.score == 0, describe(result)
    assert {c.key for c in result.checks} & EXPECTED[name], describe(result)


# The cheats that forge the results (after a module that does nothing, which earns no point by itself).
# The others forge an observation (a clock, a pid, a meeting), which an empty module could not pass on
# anyway: the boundary's cheats try those against honest code (tests/test_boundary.py); or they stop the
# grader's processes, which without the detector (a mode of these tests only) leaves a runner stopped.
FORGES_RESULTS = {"patch_plugin_import", "patch_plugin_hidden", "patch_pytest_report", "gc_forge", "proc_fd_forge",
                  "scratch_forge_exit", "scratch_forge_low", "frames", "traceback_frames", "walks_the_heap"}


@pytest.mark.parametrize("name", sorted(FORGES_RESULTS))
def test_without_tamper_evidence_the_boundary_alone_gives_a_forger_of_results_nothing(name: str,
                                                                                     tmp_path: Path) -> None:
    result = grade(cheat(tmp_path, name), "fork", tmp_path, tamper_evidence=False)
    assert result.score == 0, describe(result)


def test_the_empty_module_itself_fails_honestly_and_is_no_tampering(tmp_path: Path) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / EX03.filename).write_text((CHEATS / "_empty.py").read_text(encoding="utf-8"), encoding="utf-8")
    result = grade(folder, "fork", tmp_path)
    assert result.score < result.max_score
    assert all(c.key != "tampered" for c in result.checks), describe(result)


def test_honest_code_that_uses_traceback_logging_and_inspect_trips_nothing(tmp_path: Path) -> None:
    """What a learner may well write: print a traceback, log, read its own function's signature, import pytest."""
    folder = tmp_path / "submission"
    folder.mkdir()
    solution = (SOLUTIONS / EX03.filename).read_text(encoding="utf-8")
    (folder / EX03.filename).write_text(solution + '''

import inspect
import logging
import traceback

import pytest  # an honest learner's own tests

logging.basicConfig(level=logging.INFO)
inspect.signature(sing)
try:
    raise ValueError("shown, then ignored")
except ValueError:
    traceback.print_exc()
    traceback.format_exc()
logging.getLogger(__name__).info("imported")
''', encoding="utf-8")
    result = grade(folder, "fork", tmp_path)
    assert result.score == result.max_score, describe(result)


@pytest.mark.parametrize("source, found", [
    ("import grader\n", True),
    ("from grader.grading.plugin import ResultWriter\n", True),
    ("import _pytest.reports as r\n", True),
    ("import sys\nsys.modules['grader.grading.plugin']\n", True),
    ("import time\ntime.monotonic = lambda: 0\n", True),
    ("import os as o\nsetattr(o, 'getpid', len)\n", True),
    ("from os import path\npath.join = None\n", True),
    ("import pytest\n", False),
    ("import sys\nsys.stdout = open('x', 'w')\n", False),
    ("print('the grader says hello')\ngrader = 3\n", False),
    ("import os\nos.environ['A'] = 'b'\n", False),
])
def test_the_runner_reads_reaching_into_the_grader_in_the_source(source: str, found: bool, tmp_path: Path) -> None:
    module = tmp_path / "ex03_multitasking.py"
    module.write_text(source, encoding="utf-8")
    assert (evidence.in_source(module) is not None) == found


def test_the_runner_keeps_its_own_points_and_refuses_a_second_line_for_a_check(tmp_path: Path) -> None:
    """Lines on the results path are data the runner checks: its own titles and points, one line per check."""
    checks = runner.checks_of(EX03)
    name, title, points = checks[0].name, checks[0].title.as_dict(), checks[0].points
    lines = tmp_path / "results.jsonl"
    lines.write_text(json.dumps({"check": name, "title": {"en": "x", "zh": "x"}, "points": 100, "passed": True}) + "\n",
                     encoding="utf-8")
    done, forged = runner._read_results(lines, checks)
    assert done[name].points == points and done[name].title == title and forged is None
    with lines.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"check": name, "title": title, "points": points, "passed": False}) + "\n")
        out.write(json.dumps({"check": "test_made_up", "title": title, "points": 1, "passed": True}) + "\n")
    _, forged = runner._read_results(lines, checks)
    assert forged is not None


def test_the_seal_names_what_was_replaced_or_deleted_in_any_namespace() -> None:
    from grader.inside.tamper import SealCheck, groups_of

    def one() -> None: ...

    def two() -> None: ...

    several, alone = {"one": one, "two": two}, {"only": one}
    seal = SealCheck(groups_of([(several, "one", one, "m.one"), (several, "two", two, "m.two"),
                                (alone, "only", one, "n.only")]))
    assert seal.broken() is None
    several["two"] = one
    assert seal.broken() == "replaced m.two"
    several["two"] = two
    alone["only"] = two
    assert seal.broken() == "replaced n.only"
    del alone["only"]
    assert seal.broken() == "replaced n.only"
    alone["only"] = one
    assert seal.broken() is None


def test_a_module_scanned_for_the_seal_is_scanned_again_once_it_changed() -> None:
    import types

    from grader.inside import tamper

    module = types.ModuleType("grader_sealed_example")
    module.first = len  # code, as the seal keeps (a function made inside another is not)
    groups = tamper._module_groups("grader_sealed_example", module)
    assert tamper._module_groups("grader_sealed_example", module) is groups  # unchanged: kept
    module.second = abs  # a name added
    again = tamper._module_groups("grader_sealed_example", module)
    assert again is not groups and tamper.SealCheck(again).size == 2
    module.first = abs  # a value replaced
    assert tamper._module_groups("grader_sealed_example", module) is not again
    tamper._SCANNED.pop("grader_sealed_example")
