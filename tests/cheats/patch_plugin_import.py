"""The issue's 10-line cheat: every result passes."""
from grader.grading import plugin

_real = plugin.ResultWriter._result


def _passed(self, item):
    result = _real(self, item)
    result["passed"] = True
    result.pop("failure", None)
    return result


plugin.ResultWriter._result = _passed
