"""The issue's 10-line cheat against ex04: functions that start nothing, and a result writer patched to
pass every check (reached through sys.modules, its name built from pieces)."""
import sys


def start_with_args(task, name, num):
    return None


def start_with_kwargs(task, name, num):
    return None


def start_with_one_arg(task, value):
    return None


_plugin = sys.modules[".".join(("gra" + "der", "grading", "plugin"))]
_real = _plugin.ResultWriter._result


def _passed(self, item):
    result = _real(self, item)
    result["passed"] = True
    result.pop("failure", None)
    return result


_plugin.ResultWriter._result = _passed
