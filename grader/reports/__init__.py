"""Renderings of a graded run: the learner's scoreboard and timelines, and the formats CI reads."""
