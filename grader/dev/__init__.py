"""The maintainers' tools, run as ``python -m grader.dev check|stress|bench`` (see :mod:`grader.dev.__main__`).

They read the kit's own material (``solutions/``, ``tests/cases/``, ``tests/correct/``), which only
a checkout of the kit has: the learner's and the teacher's side never import them.
"""
