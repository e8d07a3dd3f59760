"""The self-check of the requirements: ``pyproject.toml`` is their one source, and whatever else
installs the kit (the noxfile, the Gradescope bundle, the GitHub Classroom workflow) asks for
exactly what it declares.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

from .problem import Problem, place

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest, a requirement of the kit, brings tomli on 3.10
    import tomli as tomllib

RUN_CHECK = "python -m grader.dev check"
# A requirement as the kit writes one: a distribution name and at least one version bound.
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:==|>=|<=|~=|!=|<|>)\s*[0-9]")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(root: Path) -> tuple[list[str], dict[str, str]]:
    """The kit's requirements (``[project] dependencies``) and every requirement pyproject.toml names
    (with its optional ones), by distribution name."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    runtime = list(project.get("dependencies", []))
    every = [*runtime, *(r for group in project.get("optional-dependencies", {}).values() for r in group)]
    return runtime, {normalized(REQUIREMENT.match(r).group(1)): r for r in every if REQUIREMENT.match(r)}


def requirement_problems(root: Path) -> list[Problem]:
    """Where the kit's requirements are written other than pyproject.toml says."""
    runtime, by_name = declared(root)
    problems = []
    noxfile = root / "noxfile.py"
    if noxfile.is_file():
        text = noxfile.read_text(encoding="utf-8")
        problems += _literals_agree(noxfile, _quoted(text), by_name, root)
        if "pyproject" not in text:
            written = set(_quoted(text))
            problems += [Problem(place(noxfile, root), f"noxfile.py does not install {r}, a requirement in pyproject.toml",
                                 "read the requirements from pyproject.toml (nox.project.load_toml) instead of "
                                 f"writing them again; then run {RUN_CHECK}")
                         for r in runtime if r not in written]
    try:
        bundled = list(importlib.import_module("grader.teacher.gradescope").REQUIREMENTS)
    except (ImportError, AttributeError):
        bundled = None
    if bundled is not None and sorted(bundled) != sorted(runtime):
        problems.append(Problem(place(root / "grader" / "teacher" / "gradescope.py", root),
                                f"the Gradescope bundle installs {bundled}, pyproject.toml declares {runtime}",
                                "derive REQUIREMENTS from pyproject.toml's dependencies (or make them equal); "
                                f"then run {RUN_CHECK}"))
    workflow = root / "ci" / "github-classroom.yml"
    if workflow.is_file():
        installs = [line for line in workflow.read_text(encoding="utf-8").splitlines() if "pip install" in line]
        asked = [r for line in installs for r in _quoted(line)]
        problems += _literals_agree(workflow, asked, by_name, root)
        if installs and sorted(asked) != sorted(runtime):
            problems.append(Problem(place(workflow, root), f"the workflow installs {asked}, pyproject.toml declares "
                                    f"{runtime}", f"install exactly {' '.join(repr(r) for r in runtime)}; then run {RUN_CHECK}"))
    return problems


def _quoted(text: str) -> list[str]:
    """The requirements written as quoted strings in ``text``."""
    return [s for s in re.findall(r"[\"']([^\"'\n]+)[\"']", text) if REQUIREMENT.match(s)]


def _literals_agree(path: Path, written: list[str], by_name: dict[str, str], root: Path) -> list[Problem]:
    problems = []
    for requirement in dict.fromkeys(written):
        name = normalized(REQUIREMENT.match(requirement).group(1))  # type: ignore[union-attr]
        source = by_name.get(name)
        if source is None:
            problems.append(Problem(place(path, root), f"{requirement} is installed here but pyproject.toml does not "
                                    "declare it", "add it to pyproject.toml ([project] dependencies, or an optional "
                                    f"group such as test), and install it from there; then run {RUN_CHECK}"))
        elif source.replace(" ", "") != requirement.replace(" ", ""):
            problems.append(Problem(place(path, root), f"{requirement} is installed here, pyproject.toml says {source}",
                                    f"write {source} (or read it from pyproject.toml); then run {RUN_CHECK}"))
    return problems
