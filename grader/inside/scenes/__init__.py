"""Scenes: what a hosted exercise's checks have the learner host play, one module per exercise.

A scene runs in the learner host: it calls the learner's functions with the grader's probes (and
registry, rendezvous, gates), and returns what happened as JSON data; it never judges. Its
module's ``SCENES`` maps each scene's name to its function ``scene(stage, **args) -> dict``; ``USES_START_COST = False``
spares the host measuring ``stage.start_cost`` (0.0 then) for scenes that never read it. The
judges, in the exercise's checks module, run in the checker on that data.
"""
