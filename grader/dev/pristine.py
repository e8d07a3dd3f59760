"""The exercises' stubs as the kit ships them, whatever the learner has written in ./exercises.

The kit's tests check that every stub is graded "not started"; a learner who has solved exercises
and runs the tests must not see those tests fail. So the tests never read ./exercises: they read

1. in a git checkout, ``exercises/`` as committed at HEAD (the pristine stubs, exactly), and any
   exercise file not committed yet from the working copy (the only version there is);
2. outside git (a downloaded zip, a copy), ``./exercises`` itself when every file in it is still a
   stub: that is a fresh kit, and what it ships is what is tested;
3. otherwise stubs made from ``solutions/``: each public function's body replaced by its docstring
   and ``raise NotImplementedError``, which is what a stub is (``python -m grader.dev check``
   holds every stub to exactly that). The grader is then tested against stubs, but the kit's own
   stub files, overwritten by the learner's work, are not: the report header says so.

The first is what CI (a clean clone) and maintainers get; the other two only keep a learner's
run of the tests honest and green.
"""

from __future__ import annotations

import ast
import atexit
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from grader.grading import runner


def stub_of(solution_source: str) -> str:
    """The stub of a solution module: every public top-level function keeps its signature and docstring, then raises."""
    tree = ast.parse(solution_source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            docstring = ast.get_docstring(node, clean=False)
            node.body = ([ast.Expr(ast.Constant(docstring))] if docstring is not None else []) + [
                ast.Raise(exc=ast.Name("NotImplementedError", ast.Load()), cause=None)]
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def committed_files(root: Path, folder: str) -> dict[str, bytes] | None:
    """Every file of ``folder`` as committed at HEAD, by name; None when ``root`` is not the top of a git checkout."""
    environ = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=30, env=environ, stdin=subprocess.DEVNULL)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
            return None  # not git, or a kit copied into somebody else's repository
        archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", "HEAD", folder],
                                 capture_output=True, timeout=60, env=environ, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if archive.returncode != 0:
        return None  # e.g. no commit yet
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        return {Path(m.name).name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def pristine_exercises(root: Path) -> tuple[Path, str]:
    """A folder holding the kit's stubs, and a line saying where they came from (see the module's docstring)."""
    working = root / "exercises"
    committed = committed_files(root, "exercises")
    if committed is None and all(runner.only_stubs(path) for path in working.glob("ex*.py")):
        return working, "exercises/ itself (not a git checkout; every file in it is still a stub)"
    folder = Path(tempfile.mkdtemp(prefix="kit-stubs-")) / "exercises"
    folder.mkdir()
    atexit.register(shutil.rmtree, folder.parent, ignore_errors=True)
    if committed is not None:
        for name, data in committed.items():
            (folder / name).write_bytes(data)
        for path in working.glob("*.py"):
            if not (folder / path.name).exists():
                shutil.copyfile(path, folder / path.name)
        return folder, "exercises/ as committed at HEAD (git), not the working copy"
    for solution in sorted((root / "solutions").glob("ex*.py")):
        (folder / solution.name).write_text(stub_of(solution.read_text(encoding="utf-8")), encoding="utf-8")
    return folder, ("stubs made from solutions/ (not a git checkout, and exercises/ holds work: "
                    "the kit's own stub files are not tested)")
