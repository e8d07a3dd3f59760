"""Scenes of ex06_main_waits, played in the learner host: ``work`` alone (the program runs apart)."""

from __future__ import annotations

from grader.inside.scenes.whole_program import work_prints

SCENES = {"work_prints": work_prints}
