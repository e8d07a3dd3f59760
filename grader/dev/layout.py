"""The self-check of the kit's files: the catalogue, the stubs, the solutions, the checks and the
known submissions name the same exercises, and each stub is its solution with the bodies taken out.
"""

from __future__ import annotations

import ast
import copy
import tempfile
from pathlib import Path

from grader.catalogue import EXERCISES, Exercise
from grader.grading import runner

from . import pristine, texts
from .problem import Problem, place

RUN_CHECK = "python -m grader.dev check"
STUB_BODY = ast.dump(ast.parse("raise NotImplementedError").body[0])
IGNORED = {"__pycache__"}


def layout_problems(root: Path) -> list[Problem]:
    """Every disagreement between the catalogue and the files of the kit at ``root``."""
    problems: list[Problem] = []
    modules = {e.module for e in EXERCISES}
    for exercise in EXERCISES:
        problems += _files_of(exercise, root)
        problems += _catalogue_texts(exercise, root)
    for folder, what in (("exercises", "stub"), ("solutions", "solution")):
        problems += [Problem(place(path, root), f"{path.name} in {folder}/ is no exercise of the catalogue",
                             f"delete it, or add its exercise to EXERCISES in grader/catalogue.py (with its {what}, "
                             f"solution and checks module); then run {RUN_CHECK}")
                     for path in _entries(root / folder) if path.suffix != ".py" or path.stem not in modules]
    for folder in ("tests/cases", "tests/correct"):
        problems += [Problem(place(path, root), f"{folder}/{path.name} is named after no exercise of the catalogue",
                             f"rename it after the exercise's module (e.g. {EXERCISES[0].module}), or delete it; "
                             f"then run {RUN_CHECK}")
                     for path in _entries(root / folder) if path.name not in modules]
    problems += [Problem(place(path, root), f"checks module {path.name} belongs to no exercise of the catalogue",
                         f"delete it, or add its exercise to EXERCISES in grader/catalogue.py; then run {RUN_CHECK}")
                 for path in sorted((root / "grader" / "checks").glob("ex*.py")) if path.stem not in modules]
    return problems


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name not in IGNORED) if folder.is_dir() else []


def _files_of(exercise: Exercise, root: Path) -> list[Problem]:
    problems = []
    stub = root / "exercises" / exercise.filename
    solution = root / "solutions" / exercise.filename
    checks = root / "grader" / "checks" / exercise.filename
    for path, what in ((stub, "stub"), (solution, "solution"), (checks, "checks module")):
        if not path.is_file():
            problems.append(Problem(place(path, root), f"{exercise.module} has no {what}",
                                    f"write {place(path, root)} (or remove {exercise.module} from grader/catalogue.py); "
                                    f"then run {RUN_CHECK}"))
    if stub.is_file() and solution.is_file():
        shipped = _as_shipped(stub, root)
        problems += stub_problems(shipped or stub, solution, root, bodies=shipped is not None)
    if checks.is_file() and not texts.check_names(exercise):
        problems.append(Problem(place(checks, root), f"{exercise.module}'s checks module has no check",
                                "mark each test_* function with @check(en, zh, points); then run "
                                f"python -m grader solutions --only {exercise.id}"))
    if not any((root / "tests" / "cases" / exercise.module).glob("*.py")):
        problems.append(Problem(place(root / "tests" / "cases" / exercise.module, root),
                                f"{exercise.module} has no known mistake",
                                f"write tests/cases/{exercise.module}/<what it shows>.py with 'Expect: <key>' in its "
                                f"docstring; then run python -m pytest tests/test_mistakes.py -k {exercise.id}"))
    return problems


def _as_shipped(stub: Path, root: Path) -> Path | None:
    """The stub to hold to its solution: ``stub`` itself, unless it holds a learner's work (a function body
    written) and git has the stub as committed, which is then the one checked: a learner who solved
    exercises in a checkout of the kit has not broken it. None when ``stub`` holds written bodies and there
    is no committed stub to read instead (a copy outside git): nothing then tells a learner's work from a
    broken stub, so only its shape can be held to the solution (see :func:`stubs_with_work`)."""
    if runner.only_stubs(stub):
        return stub
    committed = pristine.committed_files(root, "exercises")
    if committed is None:
        return None
    if stub.name not in committed:
        return stub
    shipped = Path(tempfile.mkdtemp(prefix="kit-stub-")) / stub.name
    shipped.write_bytes(committed[stub.name])
    return shipped


def _catalogue_texts(exercise: Exercise, root: Path) -> list[Problem]:
    where = place(root / "grader" / "catalogue.py", root)
    problems = []
    if not exercise.hints:
        problems.append(Problem(where, f"{exercise.module} has no hint",
                                f"give it hints in EXERCISES, from a nudge to nearly the answer; then run {RUN_CHECK}"))
    for what, text in texts.exercise_texts(exercise).items():
        empty = [lang for lang in texts.LANGS if not (text.get(lang) or "").strip()]
        if empty:
            problems.append(Problem(where, f"the {what} of {exercise.module} is empty in {' and '.join(empty)}",
                                    f"write it in every language ({', '.join(texts.LANGS)}); then run "
                                    f"python -m grader hint {exercise.id}"))
    return problems


def stubs_with_work(root: Path) -> list[str]:
    """The stub files whose bodies could not be checked: outside git, those holding written bodies."""
    if pristine.committed_files(root, "exercises") is not None:
        return []
    return [e.filename for e in EXERCISES
            if (root / "exercises" / e.filename).is_file() and not runner.only_stubs(root / "exercises" / e.filename)]


def stub_problems(stub: Path, solution: Path, root: Path, bodies: bool = True) -> list[Problem]:
    """How the stub differs from its solution other than in function bodies, and (unless ``bodies``
    is false) each body that is not exactly ``raise NotImplementedError``."""
    try:
        stub_tree = ast.parse(stub.read_text(encoding="utf-8"))
        solution_tree = ast.parse(solution.read_text(encoding="utf-8"))
    except SyntaxError as error:
        return [Problem(f"{place(Path(error.filename or stub), root)}:{error.lineno}", f"does not parse: {error.msg}",
                        f"fix the syntax; then run {RUN_CHECK}")]
    problems = []
    fix = f"make {place(stub, root)} its solution with each body replaced by `raise NotImplementedError`"
    if ast.get_docstring(stub_tree, clean=False) != ast.get_docstring(solution_tree, clean=False):
        problems.append(Problem(place(stub, root, 1), "its module docstring differs from the solution's",
                                f"{fix}: the same docstring in both; then run {RUN_CHECK}"))
    stub_parts, solution_parts = _outline(stub_tree), _outline(solution_tree)
    for name in stub_parts.keys() | solution_parts.keys():
        ours, theirs = stub_parts.get(name), solution_parts.get(name)
        if ours is None or theirs is None:
            side, other = (solution, stub) if ours is None else (stub, solution)
            problems.append(Problem(place(side, root), f"{name} is in {place(side, root)} but not in its "
                                    f"{'stub' if other == stub else 'solution'}",
                                    f"{fix}: the same functions and top-level statements; then run {RUN_CHECK}"))
        elif ours[1] != theirs[1]:
            problems.append(Problem(place(stub, root, ours[0]), f"{name} differs from the solution's "
                                    "(signature, decorators, docstring or statement)",
                                    f"{fix}; then run {RUN_CHECK}"))
    for node in ast.walk(stub_tree) if bodies else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if len(body) != 1 or ast.dump(body[0]) != STUB_BODY:
                problems.append(Problem(place(stub, root, node.lineno), f"the body of stub {node.name} is not "
                                        "exactly `raise NotImplementedError`",
                                        "leave the docstring and `raise NotImplementedError` only (the grader "
                                        f"calls such a file not started); then run {RUN_CHECK}"))
    return problems


def _outline(tree: ast.Module) -> dict[str, tuple[int, str]]:
    """Each top-level part of a module (function, class, other statement) with its line and its
    dump, function bodies reduced to their docstrings."""
    parts: dict[str, tuple[int, str]] = {}
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    for node in body:
        node = copy.deepcopy(node)
        for inner in ast.walk(node):
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = inner.body[0] if ast.get_docstring(inner) is not None else None
                inner.body = [doc] if doc is not None else []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{'class' if isinstance(node, ast.ClassDef) else 'function'} {node.name}"
        else:
            name = f"statement `{ast.unparse(node).splitlines()[0][:60]}`"
        parts[name] = (node.lineno, ast.dump(node))
    return parts
