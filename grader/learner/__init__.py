"""The learner's tools beside the scoreboard: hints that go further with each failure, watch mode."""
