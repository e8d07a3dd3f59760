"""Every reference solution passes, under every start method; every stub is reported as not started."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import catalogue
from grader.grading import limits, runner
from grader.results import FAILED, NOT_STARTED, PASSED

from .conftest import EXERCISES, SOLUTIONS, describe, grade_one

MODULES = [e.module for e in catalogue.EXERCISES if e.checks_path.exists()]


@pytest.mark.parametrize("module", MODULES)
def test_the_solution_passes(module: str, start_method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The solution passes with the default limits and tamper evidence on; nothing of it is taken for
    tampering; and the watchdog's peak readings stay far below each default limit: a tenth at most,
    half for memory. The memory reading is RSS summed over the tree, which counts a page shared after
    fork once per process (3.15 under fork read 289 MiB where 3.11 read 98), and only
    a sum past the limit makes the watchdog weigh the exact shares: under half the limit is far from
    any breach. One grading answers all three."""
    peaks: list[dict[str, float]] = []
    check = limits.Watchdog.check

    def recording(self: limits.Watchdog) -> limits.Breach | None:
        breach = check(self)
        if not peaks or peaks[-1] is not self.peak:
            peaks.append(self.peak)
        return breach

    defaults = limits.Limits()
    monkeypatch.setattr(limits.Watchdog, "check", recording)
    run = runner.grade(SOLUTIONS, [catalogue.find(module)], start_method, seed=1, limits=defaults)
    monkeypatch.undo()
    result = run.exercises[0]
    tampered = [(c.check, c.message("en")) for c in result.checks if c.key == "tampered"]
    assert tampered == []
    assert result.status == PASSED, describe(result)
    assert result.score == result.max_score > 0
    assert peaks
    for peak in peaks:
        assert peak["memory"] < defaults.memory / 2, peak
        assert peak["processes"] < defaults.processes / 10, peak
        assert peak["output"] < defaults.output / 10, peak
        assert peak["cpu"] < defaults.cpu / 10, peak


@pytest.mark.parametrize("module", MODULES)
def test_the_stub_is_not_started(module: str, start_method: str) -> None:
    result = grade_one(EXERCISES, module, start_method)
    assert result.status == NOT_STARTED, describe(result)
    assert result.score == 0


@pytest.mark.parametrize("module", MODULES)
def test_the_checks_fail_every_stub_function(module: str, tmp_path: Path) -> None:
    # A stub module is "not started" without being run; here one public function more (written)
    # makes the grader run the checks against the stub's functions, which must all fail.
    source = (EXERCISES / f"{module}.py").read_text(encoding="utf-8")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / f"{module}.py").write_text(source + "\n\ndef written_by_the_learner():\n    return 1\n", encoding="utf-8")
    result = grade_one(folder, module, "fork")
    assert result.status == FAILED, describe(result)
    assert result.score == 0, describe(result)
    assert result.first_failure is not None and result.first_failure.key == "not_implemented", describe(result)
