"""Each known mistake fails its exercise, with the message meant for it, under every start method.

A run grades each case under one method (``--all-methods`` for all: see conftest.methods_for_case);
CI's Pythons and the stress run between them grade every case under every method.

A case is a wrong submission of one exercise: ``tests/cases/<module>/<what it shows>.py``. Its
docstring says which mistake the grader must name: a line ``Expect: <message key>``, and
optionally ``Check: <check name>`` (the first check that fails, where it matters) and
``Methods: fork spawn`` (when the mistake only shows under some start methods). The cases are
read, and a grade judged, by :mod:`grader.dev.casebook`, which the stress run (``nox -s stress``) shares.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from grader import catalogue
from grader.checks import first_pause_missing
from grader.checks.copy_data import COMMON_CHUNK_SIZES
from grader.checks.ex09_copy_folder import _make_files
from grader.grading import runner
from grader.inside.observe import Call

from grader.dev.casebook import Case, load_cases, misgraded, why_not_here
from .conftest import START_METHODS, describe, grade_one, methods_for_case, submission_with

CASE_LIST = load_cases(START_METHODS)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each known mistake with the start methods it is graded under in this run (conftest.methods_for_case)."""
    if metafunc.definition.name != "test_the_mistake_is_named":
        return
    all_methods = metafunc.config.getoption("--all-methods")
    pairs = []
    for index, case in enumerate(CASE_LIST):
        allowed = [m for m in START_METHODS if m in case.methods]
        if not allowed:  # shows under no method available here: one skipped test says so
            pairs.append(pytest.param(case, START_METHODS[0], id=f"{START_METHODS[0]}-{case.id}"))
        for method in methods_for_case(index, allowed, all_methods):
            pairs.append(pytest.param(case, method, id=f"{method}-{case.id}"))
    metafunc.parametrize(("case", "start_method"), pairs)  # in place of the conftest fixture


def test_the_mistake_is_named(case: Case, start_method: str, tmp_path: Path) -> None:
    if start_method not in case.methods:
        pytest.skip(f"this mistake shows only under {', '.join(case.methods)}")
    if reason := why_not_here(case.path):
        pytest.skip(reason)
    # misgraded() judges the first failing check alone: the checks after it need not run.
    result = grade_one(submission_with(tmp_path, case.module, case.path), case.module, start_method,
                       first_failure_only=True)
    problem = misgraded(case, result)
    assert problem is None, f"{problem}\n{describe(result)}"


@pytest.mark.parametrize("count", [2, 3, 4])
def test_every_folder_copied_in_ex09_shows_the_content_mistakes(count: int, tmp_path: Path) -> None:
    """Whatever the seed, ex09's files let a text-mode copy fail on undecodable bytes and a chunk loop
    meet a long file, and hold a name starting with a dot, so such a mistake gets the same message on
    every run (seed 11 once showed only the rewritten line ends of a text-mode copy)."""
    for seed in range(100):
        files = _make_files(random.Random(seed), tmp_path / f"{count}-{seed}", count)
        contents = list(files.values())
        assert len(contents) == count
        undecodable = [data for data in contents if not _decodes(data)]
        assert undecodable, f"seed {seed}: every file decodes as UTF-8"
        assert any(name.startswith(".") for name in files), f"seed {seed}: no name starting with a dot"
        if count >= 3:
            assert any(len(data) > max(COMMON_CHUNK_SIZES) for data in contents), f"seed {seed}: no long file"
            assert any(b"\r\n" in data for data in contents), f"seed {seed}: no CRLF text"


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _printed(*lines: tuple[float, str]) -> Call:
    return Call(id="x", label="dance", how="direct", pid=1, ppid=0, parent_pid=None, process_name="MainProcess",
                thread_name="MainThread", args=[], kwargs={}, called=0.0, start=0.0, output=list(lines))


def test_a_missing_pause_is_seen_in_the_gaps_between_lines_not_the_call_time() -> None:
    """Lines a sleep apart pass however late they come; lines written back to back fail, however long
    the call took around them; lines in one write had no sleep between them (gap 0); a line written
    in pieces is timed from its first piece to its last."""
    word = "跳舞。。。"
    spaced = _printed((1.0, word), (1.0, "\n"), (1.0101, word), (1.0101, "\n"), (1.5, word), (1.5, "\n"))
    assert first_pause_missing(spaced.output, word, 3, 0.01) is None
    back_to_back = _printed((1.0, word), (1.0, "\n"), (1.0002, word), (1.0002, "\n"))
    assert first_pause_missing(back_to_back.output, word, 2, 0.01) == (2, pytest.approx(0.0002))
    late_third = _printed((1.0, word), (1.02, word), (1.021, word))
    assert first_pause_missing(late_third.output, word, 3, 0.01) == (3, pytest.approx(0.001))
    in_one_write = _printed((1.0, f"{word}\n{word}\n"))
    assert first_pause_missing(in_one_write.output, word, 2, 0.01) == (2, 0.0)
    in_pieces = _printed((1.0, "跳舞"), (1.0, "。。。\n"), (1.02, "跳舞"), (1.021, "。。。\n"))
    assert first_pause_missing(in_pieces.output, word, 2, 0.01) is None
    pieces_close = _printed((1.0, "跳舞"), (1.5, "。。。\n"), (1.5001, "跳舞"), (1.6, "。。。\n"))
    assert first_pause_missing(pieces_close.output, word, 2, 0.01) == (2, pytest.approx(0.0001))


def test_code_that_never_meets_is_told_its_mistake_within_the_time_limit(tmp_path: Path) -> None:
    """ex03's rendezvous waits at most half the check's time limit, so code that runs sing and dance
    in one process gets same_process, not a timeout, however slow process start-ups make the patience
    (stress, spawn, a start-up of 0.6 s: 14 s of patience against 15 s of limit). Here the limit is
    shrunk below the uncapped patience (at least 2 s) instead of the start-ups being slowed."""
    case = next(c for c in CASE_LIST if c.id == "ex03/one_process_for_both")
    method = "fork" if "fork" in START_METHODS else START_METHODS[0]
    folder = submission_with(tmp_path, case.module, case.path)
    result = runner.grade(folder, [catalogue.find(case.module)], method, seed=1, timeout=2.0).exercises[0]
    problem = misgraded(case, result)
    assert problem is None, f"{problem}\n{describe(result)}"
