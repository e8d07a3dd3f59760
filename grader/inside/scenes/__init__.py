"""Scenes: what a hosted exercise's checks have the learner host play, one module per exercise.

A scene runs in the learner host: it calls the learner's functions with the grader's probes (and
registry, rendezvous, gates), and returns what happened as JSON data; it never judges. Its
module's ``SCENES`` maps each scene's name to its function ``scene(stage, **args) -> dict``. The
judges, in the exercise's checks module, run in the checker on that data.
"""
