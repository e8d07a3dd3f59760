"""JUnit XML: a ``<testsuite>`` per exercise, a ``<testcase>`` per check, for CI viewers.

The file is always well-formed XML 1.0, whatever a learner's exception message holds: characters
XML 1.0 cannot carry (NUL, ESC and the other control characters, lone surrogates) are written as
visible stand-ins. A check that failed because the learner's code never ran to the end (it does not
import, its grader died) is an ``<error>``, as version 3 calls it ``error``; any other is a ``<failure>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from grader.reports.files import write_text_atomically
from grader.reports.outcome import is_error
from grader.reports.paths import relative_paths
from grader.results import CheckResult, GradeRun

# What XML 1.0 cannot hold: C0 controls but tab, newline and carriage return; surrogates; U+FFFE, U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SUMMARY_LIMIT = 500  # characters of the one-line ``message`` attribute; the element's text has it all


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry shown instead: ␀ for NUL, ␛ for ESC, ``\\udc80`` ..."""
    return NOT_XML.sub(_stand_in, text)


def _stand_in(found: re.Match[str]) -> str:
    code = ord(found.group())
    return chr(0x2400 + code) if code < 0x20 else f"\\u{code:04x}"


def junit(run: GradeRun, lang: str) -> ET.ElementTree:
    """JUnit XML: a test suite per exercise, a test case per check.

    Each ``<testsuite>`` starts with its ``<properties>`` (seed, start method): that is where the
    JUnit schema puts them, and where CI viewers look.
    """
    checks = [c for r in run.exercises for c in r.checks]
    suites = ET.Element("testsuites", name="multiprocessing exercises", tests=str(len(checks)),
                        failures=str(_failures(checks)), errors=str(_errors(checks)),
                        time=f"{run.execution_time:.3f}")
    for result in run.exercises:
        suite = ET.SubElement(suites, "testsuite", name=result.exercise.module, tests=str(len(result.checks)),
                              failures=str(_failures(result.checks)), errors=str(_errors(result.checks)),
                              skipped="0", time=f"{result.duration:.3f}")
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="seed", value=str(run.seed))
        ET.SubElement(props, "property", name="start_method", value=run.start_method)
        ET.SubElement(props, "property", name="score", value=f"{result.score}/{result.max_score}")
        for check in result.checks:
            case = ET.SubElement(suite, "testcase", classname=result.exercise.module,
                                 name=xml_text(check.title[lang]), time=f"{check.duration:.3f}")
            if not check.passed:
                message = xml_text(relative_paths(check.message(lang), run.submission))
                outcome = ET.SubElement(case, "error" if is_error(check) else "failure",
                                        message=first_line(message), type=check.key or "failed")
                outcome.text = message
    return ET.ElementTree(suites)


def first_line(message: str) -> str:
    """The first line of ``message``, within :data:`SUMMARY_LIMIT` characters: what a CI viewer lists."""
    line = message.splitlines()[0] if message else ""
    return line if len(line) <= SUMMARY_LIMIT else line[:SUMMARY_LIMIT - 1] + "…"


def _errors(checks: list[CheckResult]) -> int:
    return sum(1 for c in checks if is_error(c))


def _failures(checks: list[CheckResult]) -> int:
    return sum(1 for c in checks if not c.passed and not is_error(c))


def write_junit(run: GradeRun, path: Path, lang: str) -> None:
    """Write the JUnit XML of ``run`` to ``path``."""
    tree = junit(run, lang)
    ET.indent(tree)
    text = ET.tostring(tree.getroot(), encoding="unicode")
    write_text_atomically(path, '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n")
