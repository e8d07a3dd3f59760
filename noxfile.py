"""Sessions of the multiprocessing exercise kit. ``nox --list`` shows them.

Plain ``nox`` grades the learner's exercises: the kit's own tests run only when asked for
(``nox -s quick``, ``nox -s tests``). Every session runs on the Python that runs nox, so a learner
with a single Python needs nothing else. What each session installs is read from pyproject.toml,
the one place the requirements are written (``[project] dependencies`` for the grader, the
``test`` extra for the kit's tests), and so are the supported Pythons (its classifiers).

The learner's sessions (grade, hint, watch) share one environment, installed once, and talk to the
learner only through the grader: nox's own lines ("Running session", "Session grade failed.") are
left out, and a failing exercise is not a failing session. Under CI (``CI`` set, as every CI
service does) nox speaks as usual and ``nox -s grade`` fails when an exercise fails.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import logging
import os
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"  # nox.project.load_toml and python_versions, and default=False
nox.options.sessions = ["grade"]
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = False

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
RUNTIME: list[str] = PYPROJECT["project"]["dependencies"]
TEST_ONLY: list[str] = PYPROJECT["project"]["optional-dependencies"]["test"]
MUTATION_ONLY: list[str] = PYPROJECT["project"]["optional-dependencies"]["mutation"]
SUPPORTED_PYTHONS = nox.project.python_versions(PYPROJECT)

LEARNER_SESSIONS = {"grade", "hint", "watch"}
LEARNER_ENV = ROOT / ".nox" / "learner"
# The grader's exit statuses that mean "it graded": 0 all pass, 1 some exercise fails (not a fault of the tool).
GRADED = [0, 1]
# Workers of nox -s tests: the suite mostly waits on the processes it grades, so more workers than
# cores pays; this many was the fastest, and stayed green with every core kept busy.
TEST_WORKERS = "6"


def under_ci() -> bool:
    """Whether a CI service runs nox (they all set ``CI``; GitHub, GitLab, Travis: ``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def requested_sessions(argv: list[str]) -> set[str] | None:
    """The sessions named on nox's command line or in ``NOX_SESSION``; None when nox runs its defaults."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-s", "-e", "--session", "--sessions", nargs="*", action="extend", dest="sessions")
    parser.add_argument("-l", "--list", "--list-sessions", "--json", "-k", "--keywords", "-t", "--tags",
                        action="store_true", dest="other")
    options, _ = parser.parse_known_args(argv[: argv.index("--")] if "--" in argv else argv)
    if options.other:
        return set()
    if options.sessions:
        return set(options.sessions)
    named = os.environ.get("NOX_SESSION", "")
    return {name.strip() for name in named.split(",") if name.strip()} or None


def a_learner_run() -> bool:
    """Whether this nox runs only the learner's sessions, away from CI: then nox itself stays quiet."""
    sessions = requested_sessions(sys.argv[1:])
    sessions = set(nox.options.sessions or ()) if sessions is None else sessions
    return bool(sessions) and sessions <= LEARNER_SESSIONS and not under_ci()


if a_learner_run():
    # Warnings and errors still show: after a scoreboard with an exercise not passed, "Session grade failed."
    logging.getLogger("nox").setLevel(logging.WARNING)


def install_once(session: nox.Session, *packages: str) -> None:
    """Install ``packages`` unless this environment already has exactly these (a stamp file says so)."""
    stamp = Path(session.virtualenv.location) / ".kit-installed"
    wanted = hashlib.sha256("\n".join(packages).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    session.install(*packages)
    stamp.write_text(wanted)


def learner_python(session: nox.Session) -> str:
    """The Python of the one environment grade, hint and watch share (.nox/learner), made on first use.

    nox gives every session an environment of its own, named after it; three installs of the same
    packages on a slow school network is what this avoids. The environment is remade when the
    Python running nox or the requirements change.
    """
    scripts, exe = ("Scripts", "python.exe") if os.name == "nt" else ("bin", "python")
    python = LEARNER_ENV / scripts / exe
    stamp = LEARNER_ENV / ".kit-installed"
    wanted = hashlib.sha256("\n".join([sys.version, *RUNTIME]).encode()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return str(python)
    print(f"Installing what the grader needs ({', '.join(RUNTIME)}) into {LEARNER_ENV}: once only.", flush=True)
    # virtualenv comes with nox and works where the standard venv lacks ensurepip (Debian without python3-venv).
    maker = "virtualenv" if importlib.util.find_spec("virtualenv") else "venv"
    session.run(sys.executable, "-m", maker, "--clear", str(LEARNER_ENV), silent=True)
    session.run(str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *RUNTIME, silent=True)
    stamp.write_text(wanted)
    return str(python)


def run_grader(session: nox.Session, *args: str, graded: list[int] | None = None, **options: object) -> None:
    """``python -m grader ARGS`` in the learner's environment; exit statuses other than ``graded`` (default: the
    grader's "it graded") fail the session."""
    session.run(learner_python(session), "-m", "grader", *args,
                success_codes=graded if graded is not None else GRADED, external=True, **options)


@nox.session(venv_backend="none")
def grade(session: nox.Session) -> None:
    """Grade ./exercises (or the folder and options after --) and print the scoreboard."""
    # As the contract says: 0 when every exercise passes, 1 when one fails or is not started (nox's status for
    # any failure), for a learner as for CI.
    run_grader(session, *session.posargs, graded=[0])


@nox.session(venv_backend="none")
def hint(session: nox.Session) -> None:
    """Show the hints for an exercise (-- ex03 [PATH]): the more often it failed, the further they go."""
    run_grader(session, "hint", *session.posargs)


@nox.session(venv_backend="none")
def watch(session: nox.Session) -> None:
    """Grade the exercises, then each one again whenever its file is saved, until q or Ctrl-C."""
    # On Ctrl-C nox waits this long before it terminates the grader: time to stop the exercise being graded.
    run_grader(session, "watch", *session.posargs, interrupt_timeout=10)


@nox.session(reuse_venv=True, default=False)
def gradebook(session: nox.Session) -> None:
    """Grade every submission in a folder (each subfolder and .zip), each in isolation, into a gradebook."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader", "gradebook", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def gradescope_bundle(session: nox.Session) -> None:
    """Build the Gradescope autograder zip (default dist/gradescope-autograder.zip, or the path after --)."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader.teacher.gradescope", "bundle", *session.posargs)


def self_check(session: nox.Session) -> None:
    """``python -m grader.dev check``: catalogue, exercises, solutions, checks and cases agree."""
    session.run("python", "-m", "grader.dev", "check")


@nox.session(reuse_venv=True, default=False)
def quick(session: nox.Session) -> None:
    """The kit's fast tier, within a minute: every test that grades nothing (tests/tiers.py), then the self-check."""
    install_once(session, *RUNTIME, *TEST_ONLY)
    session.run("python", "-m", "pytest", "--tier", "quick", *session.posargs)
    self_check(session)


def full_suite(session: nox.Session) -> None:
    """Every test of tests/, in parallel (the options after -- replace the worker count and selection)."""
    install_once(session, *RUNTIME, *TEST_ONLY)
    session.run("python", "-m", "pytest", *(session.posargs or ["-n", TEST_WORKERS, "--dist", "worksteal"]))


@nox.session(reuse_venv=True, default=False)
def tests(session: nox.Session) -> None:
    """The kit's whole test suite: solutions pass, stubs and known mistakes fail with their reasons."""
    full_suite(session)


@nox.session(python=SUPPORTED_PYTHONS, reuse_venv=True, default=False)
def tests_all_pythons(session: nox.Session) -> None:
    """The whole suite on every supported Python installed here; nox's summary says which ran."""
    full_suite(session)


@nox.session(reuse_venv=True, default=False)
def mutation(session: nox.Session) -> None:
    """The mutation run over solutions/ with the grader as the test (``-- --only ex08``); ``-- --operators-only``
    runs just the tests of the kit's own mutation operators (which need cosmic-ray, so nox -s tests skips them)."""
    install_once(session, *RUNTIME, *TEST_ONLY, *MUTATION_ONLY)
    if session.posargs == ["--operators-only"]:
        session.run("python", "-m", "pytest", "-q", "tests/test_mutation_operators.py")
    else:
        session.run("python", "-m", "grader.dev", "mutate", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def stress(session: nox.Session) -> None:
    """Grade the solutions and every known submission N times per start method, every core busy; count wrong grades."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader.dev", "stress", *session.posargs)  # -- --runs N --methods M... --only EX


@nox.session(reuse_venv=True, default=False)
def bench(session: nox.Session) -> None:
    """Time the grading of each exercise and of the catalogue per start method, and the grader's own share."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader.dev", "bench", *session.posargs)  # -- --runs N --methods M... --only EX --json FILE
