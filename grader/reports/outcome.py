"""What a failed check means to a report: a mistake in the learner's code, or code that never ran to the end.

Version 3 calls the second kind ``error`` and JUnit ``<error>``: both read this one list.
"""

from __future__ import annotations

from grader.results import CheckResult

# A check that failed for one of these reasons never ran the learner's code to the end.
ERROR_KEYS = frozenset({"import_failed", "grading_process_died", "not_checked", "grading_interrupted", "grader_error"})


def is_error(check: CheckResult) -> bool:
    """True when ``check`` failed without the learner's code running to the end (see :data:`ERROR_KEYS`)."""
    return not check.passed and check.key in ERROR_KEYS
