"""The self-check of message keys: each defined once, in every language, filled with the values its
raising sites pass, and each mistake shown by a known submission (or by a named test).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from grader import catalogue
from grader.catalogue import EXERCISES

from . import casebook, texts
from .problem import Problem, place

# Keys no case shows, with the test that does. Grader-internal ones: a case is one wrong file
# graded normally, so it cannot be missing, be the untouched stub, stop the grading itself, meet a
# bug of a check, or be the checks left after one that killed the worker. And those shown by the
# hostile submissions of tests/hostile/ (each graded under every start method, its first failure
# asserted): what harms the grading machine is kept apart from the exercises' mistakes. The
# self-check makes sure each test named exists.
COVERED_ELSEWHERE: dict[str, str] = {
    "missing_module": "tests/test_reports.py::test_every_report_adds_up_as_the_console_says_and_names_the_seed",
    "untouched": "tests/test_solutions.py::test_the_stub_is_not_started",
    "grading_interrupted": "tests/test_reports.py::test_a_grader_killed_midway_still_leaves_every_report",
    "grader_error": "tests/test_internal_keys.py::test_a_bug_in_a_check_is_reported_as_the_graders_error",
    "not_checked": "tests/test_internal_keys.py::test_the_checks_after_one_that_killed_the_worker_are_not_checked",
    "grading_process_died": "tests/test_isolation.py::test_a_hostile_submission_fails_alone_and_leaves_nothing",
    "leaked_processes": "tests/test_isolation.py::test_a_hostile_submission_fails_alone_and_leaves_nothing",
    "too_many_processes": "tests/test_isolation.py::test_a_hostile_submission_fails_alone_and_leaves_nothing",
    # A hang the grader cannot see the end of (the ones it can are told what they wait for).
    "timeout": "tests/test_isolation.py::test_the_learner_is_told_what_went_wrong",
    # A cheat is not a mistake of an exercise: tests/cheats/ holds them, each graded by this test.
    "tampered": "tests/test_tamper.py::test_a_cheat_gets_nothing_for_it",
    # Defence in depth, each reached by a constructed record: branches an earlier check fails first
    # for any honest submission; not_faster, which only a machine with two free cores can reach; and
    # program_hung, whose case would spend the program's whole time limit under each start method.
    "program_hung": "tests/test_internal_keys.py::test_a_program_still_running_at_its_limit_is_told_it_hung",
    "still_alive": "tests/test_internal_keys.py::test_a_singer_whose_process_outlived_sing_and_dance_is_told_it_was_still_alive",
    "too_many_lines": "tests/test_internal_keys.py::test_a_worker_that_printed_more_lines_in_the_program_than_asked_is_told_so",
    "never_worked": "tests/test_internal_keys.py::test_a_daemon_that_never_printed_or_outlived_the_program_is_told_so",
    "not_faster": "tests/test_internal_keys.py::test_a_parallel_call_not_faster_on_two_free_cores_is_told_so",
}

RUN_CHECK = "python -m grader.dev check"


def key_problems(root: Path, cases: list[casebook.Case]) -> list[Problem]:
    """Every problem with the keys the grader defines and raises, and with the cases that expect them."""
    tables = texts.read_tables(root)
    sites, unresolved = texts.read_sites(root)
    problems = _definitions(tables, root)
    problems += [Problem(place(u.path, root, u.line), f"the key of `{u.call}` is not written in the source",
                         "pass the key as a string literal (or a local set from literals), so the "
                         f"self-check can find its templates and its case; then run {RUN_CHECK}")
                 for u in unresolved]
    problems += _sites(tables, sites, root)
    problems += _includes(tables, root)
    problems += _cases(sites, cases, root)
    problems += _covered_elsewhere(sites, cases, root)
    return problems


def _definitions(tables: dict[str, texts.Table], root: Path) -> list[Problem]:
    problems = []
    owners: dict[str, list[texts.Table]] = defaultdict(list)
    for table in tables.values():
        for key, line in table.repeated:
            problems.append(Problem(place(table.path, root, line), f"text {key!r} is written twice in {table.name}",
                                    "delete one of the two entries (Python keeps only the last); "
                                    f"then run {RUN_CHECK}"))
        for key, line in table.own.items():
            owners[key].append(table)
            templates = table.templates.get(key, {})
            missing = [lang for lang in texts.LANGS if not (isinstance(templates.get(lang), str)
                                                           and templates[lang].strip())]
            if missing:
                problems.append(Problem(place(table.path, root, line),
                                        f"text {key!r} has no {' or '.join(missing)} template",
                                        f"write its {', '.join(missing)} template next to the others; "
                                        f"then run {RUN_CHECK}"))
            elif len({frozenset(texts.placeholders(templates[lang])) for lang in texts.LANGS}) > 1:
                used = "; ".join(f"{lang}: {sorted(texts.placeholders(templates[lang]))}" for lang in texts.LANGS)
                problems.append(Problem(place(table.path, root, line),
                                        f"the templates of {key!r} fill in different values ({used})",
                                        "say the same things in every language (a value meant for one "
                                        f"language only is a Text); then run {RUN_CHECK}"))
    for key, where in owners.items():
        if len(where) > 1:
            listed = ", ".join(f"{place(t.path, root, t.own[key])} ({t.name})" for t in where)
            problems.append(Problem(place(where[1].path, root, where[1].own[key]),
                                    f"text {key!r} is defined {len(where)} times: {listed}",
                                    "a key means one thing across the kit: give all but one another key (and "
                                    f"rename it where it is raised and in the cases that expect it); then run {RUN_CHECK}"))
    return problems


def _sites(tables: dict[str, texts.Table], sites: list[texts.Site], root: Path) -> list[Problem]:
    problems = []
    for site in sites:
        searched_tables = list(tables.values()) if site.on_screen else texts.scope(tables, site.module)
        table = next((t for t in searched_tables if site.key in t.own), None)
        where = place(site.path, root, site.line)
        if table is None:
            searched = ", ".join(t.name for t in searched_tables)
            problems.append(Problem(where, f"key {site.key!r} is raised here but defined in none of {searched}",
                                    f"define {site.key!r} (every language) in "
                                    f"{'SCREEN, grader/messages.py' if site.on_screen else 'the MESSAGES of the checks module that raises it'}"
                                    f", or fix the key's spelling; then run {RUN_CHECK}"))
            continue
        templates = table.templates.get(site.key, {})
        needed = set().union(*(texts.placeholders(t) for t in templates.values() if isinstance(t, str)))
        missing = sorted(needed - site.names)
        if missing and not site.spread:
            problems.append(Problem(where, f"{site.key!r} is raised without {', '.join(missing)}, which its "
                                    f"templates ({place(table.path, root, table.own[site.key])}) fill in",
                                    f"pass {', '.join(f'{m}=...' for m in missing)} here, or take them out of "
                                    f"the templates; then run {RUN_CHECK}"))
        # A conditional key's values serve every key it may be: a value is unused when none says it.
        said = set(needed)
        for other in site.keys:
            defining = next((t for t in searched_tables if other in t.own), None)
            if defining is not None:
                said.update(*(texts.placeholders(t) for t in defining.templates.get(other, {}).values()))
        unused = sorted(site.names - said)
        if unused:
            problems.append(Problem(where, f"{site.key!r} is raised with {', '.join(unused)}, which no template "
                                    f"of it ({place(table.path, root, table.own[site.key])}) says",
                                    f"say them in the templates, or stop passing them; then run {RUN_CHECK}"))
    return problems


def _includes(tables: dict[str, texts.Table], root: Path) -> list[Problem]:
    """Each checks module that uses a helper with messages of its own must render with them."""
    problems: list[Problem] = []
    if texts.one_registry():
        return problems  # every key is looked up in the kit's one registry: there is nothing to include
    for exercise in EXERCISES:
        path = root / "grader" / "checks" / exercise.filename
        if not path.is_file():
            continue
        module = texts.checks_module_of(exercise)
        in_scope = {t.name for t in texts.scope(tables, module)}
        for helper in texts.checks_modules_imported(path):
            for table in tables.values():
                if table.module == helper and table.is_check_text and table.name not in in_scope:
                    problems.append(Problem(place(path, root), f"{exercise.module} uses {helper} but its MESSAGES "
                                            f"do not include {table.name}, so that helper's mistakes show as bare keys",
                                            f"spread it into MESSAGES (**{table.name.rsplit('.', 2)[1]}.MESSAGES); "
                                            f"then run {RUN_CHECK}"))
    return problems


def _cases(sites: list[texts.Site], cases: list[casebook.Case], root: Path) -> list[Problem]:
    problems = []
    failing = texts.exercises_failing_with(sites, root)
    for case in cases:
        if f"grader.checks.{case.module}" not in failing.get(case.expect, set()):
            problems.append(Problem(place(case.path, root), f"case {case.id} expects {case.expect!r}, which "
                                    f"{case.module}'s checks never raise",
                                    "write in its docstring the key the mistake it shows must fail with "
                                    f"(the first failure of python -m grader DIR --only {case.module}); "
                                    f"then run {RUN_CHECK}"))
        names = _check_names(case.module)
        if case.check and names is not None and case.check not in names:
            problems.append(Problem(place(case.path, root), f"case {case.id} names the check {case.check!r}, which "
                                    f"{case.module} does not have (its checks: {', '.join(names)})",
                                    f"write the name of the check that fails first in its 'Check:' line; then run "
                                    f"{RUN_CHECK}"))
    shown = {(f"grader.checks.{c.module}", c.expect) for c in cases}
    for key, modules in failing.items():
        if key in COVERED_ELSEWHERE or any((m, key) in shown for m in modules):
            continue
        first = next(s for s in sites if s.key == key and s.is_mistake)
        folder = f"tests/cases/{sorted(modules)[0].rsplit('.', 1)[1]}/" if len(modules) == 1 else "tests/cases/<module>/"
        problems.append(Problem(place(first.path, root, first.line), f"mistake {key!r} has no case",
                                f"write {folder}<what it shows>.py, a wrong submission whose docstring says "
                                f"'Expect: {key}', and run it: python -m pytest tests/test_mistakes.py -k "
                                f"<what it shows> (or, if no submission can reach it, name the test that "
                                f"covers it in COVERED_ELSEWHERE, grader/dev/keys.py)"))
    return problems


def _check_names(module: str) -> list[str] | None:
    """The checks of exercise ``module`` (None when the catalogue has no such exercise)."""
    try:
        return texts.check_names(catalogue.find(module))
    except catalogue.UnknownExercise:
        return None


def _covered_elsewhere(sites: list[texts.Site], cases: list[casebook.Case], root: Path) -> list[Problem]:
    problems = []
    here = place(Path(__file__), root)
    raised = {s.key for s in sites if s.is_mistake}
    with_case = {c.expect for c in cases}
    for key, test in COVERED_ELSEWHERE.items():
        if key not in raised:
            problems.append(Problem(here, f"COVERED_ELSEWHERE names {key!r}, which no check raises",
                                    f"delete its entry; then run {RUN_CHECK}"))
        elif key in with_case:
            problems.append(Problem(here, f"COVERED_ELSEWHERE names {key!r}, which a case already shows",
                                    f"delete its entry (the case covers it); then run {RUN_CHECK}"))
        if not _test_exists(root, test):
            problems.append(Problem(here, f"COVERED_ELSEWHERE says {test} shows {key!r}, but there is no such test",
                                    f"name the test that makes the grader answer {key!r} (file::function); "
                                    f"then run {RUN_CHECK}"))
    return problems


def _test_exists(root: Path, test: str) -> bool:
    """Whether ``file::function`` names a test function defined in that file of the kit."""
    file, _, name = test.partition("::")
    path = root / file
    if not path.is_file() or not name.startswith("test_"):
        return False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in ast.walk(tree))
