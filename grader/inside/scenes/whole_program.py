"""The scene ex06 and ex07 share, played in the learner host: the learner's ``work(num, delay)`` called alone.

(The programs of their other checks run apart from the host: :mod:`grader.inside.program`.)
"""

from __future__ import annotations

from typing import Any

from grader.grading.fixtures import call_learner
from grader.inside.learner_host import Stage


def work_prints(stage: Stage, num: int, delay: float) -> dict[str, Any]:
    """Call ``work(num, delay)`` here, through a probe that keeps every write with its time.

    What it printed comes back with the probe's calls (the observation's ``calls``).
    """
    call_learner(stage.grading, stage.probe(stage.learner.work, "work"), int(num), float(delay))
    return {}
