"""The kit's own tools for maintainers and teachers: ``python -m tools.stress``, ``python -m tools.bench``.

They live outside ``grader/`` because they grade the kit's own material (``solutions/`` and the
known submissions in ``tests/``), which only a checkout of the kit has; nox runs them
(``nox -s stress``, ``nox -s bench``).
"""
