"""The verdicts on the mutants that survive ``python -m grader.dev mutate``, keyed by exercise and
by the mutant's change (``old lines => new lines``, as ``grader.dev.mutate`` prints it).

``equivalent``: the mutant is a correct program (each has a correct variant in tests/correct/ that
the suite grades under every start method). ``gap``: the grader lets a wrong program through; the
note says what would catch it. A survivor with no verdict makes the run exit 1.
"""

from __future__ import annotations

VERDICTS: dict[str, dict[str, str]] = {
}


def verdict_of(module: str, change: str) -> str:
    """The recorded verdict on this mutant ("equivalent: ..." or "gap: ..."), or "" when there is none."""
    return VERDICTS.get(module, {}).get(change, "")
