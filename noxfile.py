"""Sessions of the multiprocessing exercise kit. ``nox --list`` shows them.

Every session runs on the Python that runs nox, so a learner with a single Python needs nothing
else. The learner's sessions reuse their environment and skip the install when nothing changed,
so the second ``nox -s grade`` starts in well under a second of nox's own time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = False

ROOT = Path(__file__).parent
RUNTIME = ["pytest>=7.4", "pytest-timeout>=2.2", "psutil>=5.9"]
TEST_ONLY = ["pyyaml>=6", "junitparser>=3"]  # the kit's tests read the CI templates in ci/ and parse the JUnit report
# Every Python the kit supports: tests_all_pythons runs on each one installed and skips the others.
SUPPORTED_PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]


def install_once(session: nox.Session, *packages: str) -> None:
    """Install ``packages`` unless this environment already has exactly these (a stamp file says so)."""
    stamp = Path(session.virtualenv.location) / ".kit-installed"
    wanted = hashlib.sha256("\n".join(packages).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    session.install(*packages)
    stamp.write_text(wanted)


@nox.session(reuse_venv=True)
def grade(session: nox.Session) -> None:
    """Grade ./exercises (or the folder and options after --) and print the scoreboard."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader", *session.posargs)


@nox.session(reuse_venv=True)
def gradebook(session: nox.Session) -> None:
    """Grade every submission in a folder (each subfolder and .zip), each in isolation, into a gradebook."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader", "gradebook", *session.posargs)


@nox.session(reuse_venv=True)
def gradescope_bundle(session: nox.Session) -> None:
    """Build the Gradescope autograder zip (default dist/gradescope-autograder.zip, or the path after --)."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader.teacher.gradescope", "bundle", *session.posargs)


@nox.session(reuse_venv=True)
def tests(session: nox.Session) -> None:
    """Run the kit's own test suite (solutions pass, stubs and known mistakes fail with their reasons)."""
    install_once(session, *RUNTIME, *TEST_ONLY)
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=SUPPORTED_PYTHONS, reuse_venv=True, default=False)
def tests_all_pythons(session: nox.Session) -> None:
    """Run the kit's own test suite on every supported Python installed here; nox's summary says which ran."""
    install_once(session, *RUNTIME, *TEST_ONLY)
    session.run("python", "-m", "pytest", *session.posargs)


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


@nox.session(reuse_venv=True, default=False)
def hint(session: nox.Session) -> None:
    """Show the hints for an exercise (-- ex03 [PATH]): the more often it failed, the further they go."""
    install_once(session, *RUNTIME)
    session.run("python", "-m", "grader", "hint", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def watch(session: nox.Session) -> None:
    """Grade the exercises, then each one again whenever its file is saved, until a key or Ctrl-C."""
    install_once(session, *RUNTIME)
    # On Ctrl-C nox waits this long before it terminates the grader: time to stop the exercise being graded.
    session.run("python", "-m", "grader", "watch", *session.posargs, interrupt_timeout=10)
