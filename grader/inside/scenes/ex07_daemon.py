"""Scenes of ex07_daemon, played in the learner host: ``work`` alone (the program runs apart)."""

from __future__ import annotations

from grader.inside.scenes.whole_program import work_prints

# No scene here reads stage.start_cost: the host need not measure it.
USES_START_COST = False

SCENES = {"work_prints": work_prints}
