"""Gradescope: the autograder bundle, and what runs inside it for each submission.

``python -m grader.teacher.gradescope bundle [ZIP]`` (``nox -s gradescope_bundle``) writes the zip to upload
to a Gradescope programming assignment: ``setup.sh``, ``run_autograder``, ``requirements.txt`` and the
``grader`` package. Gradescope unpacks it into ``/autograder/source``, runs ``setup.sh`` once when it
builds the image, and ``run_autograder`` for every submission; that runs ``python -m grader.teacher.gradescope
run``, which grades ``/autograder/submission/`` as the gradebook grades one submission (a copy, the
zip uploaded unextracted unpacked, the folder holding the modules found, the grader in a session of
its own, the grade read from its record) and always writes
``/autograder/results/results.json``.

Settings come from the environment (``run_autograder`` shows where to set them):
``AUTOGRADER_ROOT`` (default ``/autograder``; tests point it at a fake tree), ``GRADER_ONLY`` (e.g.
``ex01 ex03``), ``GRADER_START_METHOD``, ``GRADER_LANG`` (``en`` or ``zh``), ``GRADER_SEED``,
``GRADER_TIMEOUT`` (seconds per check).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from grader import KIT_ROOT

if TYPE_CHECKING:
    from grader.teacher.isolation import Settings

# What the grader needs at run time: the same as pyproject.toml's dependencies (a kit test checks it).
REQUIREMENTS = ("pytest>=7.4", "pytest-timeout>=2.2", "psutil>=5.9")
DEFAULT_BUNDLE = Path("dist") / "gradescope-autograder.zip"
TEMPLATES = ("setup.sh", "run_autograder")


def build_bundle(dest: Path) -> Path:
    """Write the Gradescope autograder zip to ``dest`` and return it.

    At its top: ``setup.sh`` and ``run_autograder`` (executable, from ``ci/gradescope/``),
    ``requirements.txt``, and the ``grader`` package without caches.
    """
    root = KIT_ROOT
    templates = root / "ci" / "gradescope"
    missing = [name for name in TEMPLATES if not (templates / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{templates} lacks {', '.join(missing)}: build the bundle from the kit's own folder")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in TEMPLATES:
            _add(bundle, name, (templates / name).read_bytes(), executable=True)
        _add(bundle, "requirements.txt", ("\n".join(REQUIREMENTS) + "\n").encode())
        package = root / "grader"
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                _add(bundle, path.relative_to(root).as_posix(), path.read_bytes())
    os.replace(partial, dest)
    return dest


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))  # fixed: the same kit gives the same zip
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    bundle.writestr(info, data)


def settings_from(environ: Mapping[str, str]) -> Settings:
    """The grading settings a course chose in ``run_autograder``'s environment; ValueError names a bad one."""
    from grader import messages
    from grader.grading import runner, worker
    from grader.options import UsageError, select
    from grader.teacher import gradebook

    only = environ.get("GRADER_ONLY", "").replace(",", " ").split()
    try:
        exercises = select(only)
    except UsageError as problem:
        raise ValueError(f"GRADER_ONLY: {problem}") from None
    method = environ.get("GRADER_START_METHOD") or runner.default_start_method()
    if method not in runner.available_start_methods():
        raise ValueError(f"GRADER_START_METHOD={method!r}: not one of {', '.join(runner.available_start_methods())}")
    lang = environ.get("GRADER_LANG") or messages.default_lang(environ)
    if lang not in messages.LANGS:
        raise ValueError(f"GRADER_LANG={lang!r}: not one of {', '.join(messages.LANGS)}")
    try:
        seed = int(environ["GRADER_SEED"]) if environ.get("GRADER_SEED") else random.SystemRandom().randrange(1, 10**6)
        timeout = float(environ.get("GRADER_TIMEOUT") or worker.CHECK_TIMEOUT)
    except ValueError as problem:
        raise ValueError(f"GRADER_SEED or GRADER_TIMEOUT: {problem}") from None
    return gradebook.Settings(exercises, seed, method, lang, timeout,
                              gradebook.default_submission_timeout(exercises, timeout))


def run_autograder(root: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """Grade ``root/submission`` into ``root/results/results.json`` and return the report written.

    Never ends without writing the report: a bad setting or an unreadable submission gives a report
    with score 0 that says why.
    """
    from grader.teacher import gradebook, intake

    results = root / "results" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    try:
        settings = settings_from(environ)
    except ValueError as problem:
        report = _error_report(f"The autograder is set up wrongly (tell your teacher): {problem}")
        _write(results, report)
        return report
    work = Path(tempfile.mkdtemp(prefix="mp-gradescope-"))
    try:
        # The upload is staged as a gradebook stages one learner: a zip the learner uploaded
        # unextracted (the whole upload, or inside it) is unpacked, the modules' folder found.
        submission = intake.take_in_one(root / "submission", "submission", work / "staged", settings.lang)
        (work / "grading").mkdir()
        row = gradebook.grade_submission(submission, settings, work / "grading", gradebook.Supervisor())
        log = work / "grading" / "grader.log"
        if log.exists():  # the learner's scoreboard, for the instructor's view of the run
            sys.stdout.write(log.read_text(encoding="utf-8", errors="replace"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {**row.report, "output": "\n".join([*row.notes, str(row.report.get("output", ""))]).strip()}
    _write(results, report)
    return report


def _error_report(text: str) -> dict[str, Any]:
    return {"score": 0, "execution_time": 0, "output": text, "visibility": "visible", "tests": []}


def _write(path: Path, report: dict[str, Any]) -> None:
    from grader.reports.files import write_text_atomically

    write_text_atomically(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["bundle"] and len(args) <= 2:
        dest = build_bundle(Path(args[1]) if len(args) == 2 else DEFAULT_BUNDLE)
        print(f"Gradescope autograder bundle written to {dest}: upload it as the assignment's autograder (zip file).")
        return 0
    if args == ["run"]:
        root = Path(os.environ.get("AUTOGRADER_ROOT") or "/autograder")
        report = run_autograder(root, os.environ)
        print(f"results.json written to {root / 'results' / 'results.json'}: "
              f"{report.get('score', 0)}/{report.get('max_score', 0)}")
        return 0
    print("usage: python -m grader.teacher.gradescope bundle [ZIP]   build the autograder zip (default: "
          f"{DEFAULT_BUNDLE})\n"
          "       python -m grader.teacher.gradescope run            grade $AUTOGRADER_ROOT/submission (inside Gradescope)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
