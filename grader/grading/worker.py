"""The grading worker: grades one exercise of one submission, in a process of its own.

The command line forks one worker per exercise (pytest and the grader are already imported, so a
worker is ready in milliseconds), so whatever the learner's code does to its process (hang, exit,
kill it, leave children) touches that exercise only. The worker runs the exercise's checks with
pytest, writes a result line per check, stops every process left, and exits without running the
interpreter's exit handlers (they would join the learner's leftover children).

For the benchmark (``nox -s bench``) the worker also leaves ``worker-times.json`` in its scratch
folder (see :data:`TIMES_FILE`): when it began, when pytest began and ended, when it was done
cleaning up (``time.monotonic()``, system-wide on Linux, so the runner can set them against its
own clock), the lifetime of every process the learner's code started (``processes``) and when
each call of a learner's function through ``call_learner`` began and ended (``calls``).
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import sys
import time
import types
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_timeout  # imported here, once, rather than by pytest in every worker

from grader import host
from grader.catalogue import CHECKS_DIR, find
from grader.grading import cleanup, fixtures, host_channel, limits, own_errors
from grader.grading.plugin import ResultWriter
from grader.inside import observe

# One check that runs longer than this is stopped (pytest-timeout, signal method: the check
# fails and the worker goes on). Checks that need longer say so with their own marker.
CHECK_TIMEOUT = 15.0

# pytest's plugins that no check needs, left out of every worker's pytest run: together they cost
# a worker ~0.1 s of CPU, more than a whole exercise's checks under fork. unraisableexception and
# threadexception only turn exceptions in __del__ and in threads into warnings (never a failure
# here), at the price of five full garbage collections at the end of the run; debugging imports
# pdb and readline; legacypath, tmpdir, monkeypatch, recwarn and subtests only offer fixtures no
# check asks for; the others write reports or collect tests the checks never have. (logging and
# warnings stay: they keep the learner's log records and warnings out of its output, as they always have.)
UNUSED_PLUGINS = ("unraisableexception", "threadexception", "debugging", "junitxml", "pastebin", "doctest",
                  "unittest", "setuponly", "setupplan", "cacheprovider", "stepwise", "legacypath", "tmpdir",
                  "monkeypatch", "recwarn", "subtests")

# How much longer than a check's limit the checker of a hosted exercise waits: the host stops the
# learner's code at the limit and says so; only a host that cannot (busy forking, or taken over)
# is stopped by the checker's own limit, and by then the runner's watchdog has had its chance.
HOST_GRACE = 1.0

# What a child of the learner's code imports of the grader to run a probe, a patch or one of the grader's tasks:
# under forkserver, loaded once by the fork server rather than by every process it forks (~15 ms each).
FORK_SERVER_PRELOAD = ("grader.inside.witnessed", "grader.inside.probes", "grader.inside.tasks", "grader.inside.gates",
                       "grader.inside.rendezvous")

# Written into the job's scratch folder at the worker's end: where its time went (see the module's docstring).
TIMES_FILE = "worker-times.json"


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, in a form that can also travel as JSON to a fresh interpreter."""

    module: str
    submission: str
    start_method: str
    seed: int
    scratch: str
    results: str
    log: str
    timeout: float = CHECK_TIMEOUT
    limits: dict[str, Any] = field(default_factory=dict)  # changes to limits.Limits' defaults
    report_fd: int = -1  # the write end of the runner's tamper report pipe (-1: no tamper evidence)
    first_failure_only: bool = False  # stop at the first failing check (tests of known mistakes judge only that)
    results_fd: int = -1  # the write end of the runner's results pipe (a hosted exercise; -1: the results file)


def run(job: Job) -> None:
    """Grade ``job`` in this process, then end it with ``os._exit``; never returns."""
    times: dict[str, float] = {"began": time.monotonic()}
    registry: observe.ProcessRegistry | None = None
    grading: fixtures.Grading | None = None
    learner_host: host_channel.LearnerHost | None = None
    status = own_errors.STATUS
    try:
        isolate(job)
        exercise = find(job.module)
        checks = importlib.import_module(f"grader.checks.{exercise.module}")
        # Before anything of the learner's is imported: the host is a fork of this clean state. The learner's
        # code runs there; this process (the checker) never imports it.
        learner_host = host_channel.start(job, checker_only=(job.results_fd,) if job.results_fd >= 0 else (),
                                          allowed_keys=host_channel.LEARNER_ERRORS | set(checks.HOST_MISTAKES))
        registry = observe.ProcessRegistry()  # the learner's processes are the host's to watch
        grading = fixtures.Grading(
            exercise=exercise,
            submission=Path(job.submission).resolve(),
            start_method=job.start_method,
            seed=job.seed,
            scratch=Path(job.scratch),
            registry=registry,
            host=learner_host,
        )
        fixtures.configure(grading)
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        args = [
            str(exercise.checks_path),
            "-c", str(CHECKS_DIR / "pytest.ini"), "--rootdir", str(CHECKS_DIR),
            *(arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")),
            # The runner imports the checks module before it forks the worker, so assertion rewriting
            # would only rewrite the learner's module (its name matches python_files): run it as written.
            "--assert=plain",
            *(["--exitfirst"] if job.first_failure_only else []),
            "--noconftest", "-q", "-s", "-W", "ignore::DeprecationWarning",
            "--timeout", str(job.timeout + HOST_GRACE),
            "--timeout-method", "signal",
            # A checker's limit is a backstop for the check's call only: the host keeps its own clock for the
            # import and the scenes, and the runner's deadlines stand behind both. Over the whole protocol the
            # alarm could ring inside pytest's own teardown and reporting, and a check's result was lost (a
            # finalizer left to the session's end raised there: pytest.main itself failed).
            "-o", "timeout_func_only=true",
        ]
        times["pytest_began"] = time.monotonic()
        # pytest_timeout handed over as a module, not named with ``-p``: pytest would look for the name among
        # the entry points of every installed distribution first.
        pytest.main(args, plugins=[pytest_timeout, fixtures, ResultWriter(Path(job.results), job.results_fd)])
        times["pytest_ended"] = time.monotonic()
        status = 0
    except Exception:  # the grader's own failure outside pytest: told as such, not lost to _exit
        own_errors.leave(job.scratch, own_errors.WORKER)
    finally:
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - the learner may have replaced or closed stdout
            pass
        try:
            if learner_host is not None:
                learner_host.close()
            cleanup.kill_tree()
            times["ended"] = time.monotonic()
            _write_times(Path(job.scratch) / TIMES_FILE, times, registry, grading)
        finally:
            os._exit(status)


def _write_times(path: Path, times: dict[str, float], registry: observe.ProcessRegistry | None,
                 grading: fixtures.Grading | None) -> None:
    """Leave the worker's phases and the learner's processes and calls for the benchmark; never fail the grade."""
    try:
        lifetimes = [[e.started, e.ended if e.ended is not None else times["ended"]]
                     for e in (registry.entries if registry is not None else [])]
        calls = [list(span) for span in (grading.learner_calls if grading is not None else [])]
        # Whether the learner's module was ever imported into this process (it never is: the host imports it),
        # and what the witness cost per process it saw: for the kit's tests and the benchmark.
        imported = grading is not None and grading.exercise.module in sys.modules
        host = grading.host if grading is not None else None
        witness = list(host.witness.costs) if host is not None and host.witness is not None else []
        requests = list(host.request_times) if host is not None else []
        path.write_text(json.dumps({**times, "processes": lifetimes, "calls": calls, "pid": os.getpid(),
                                    "learner_imported_here": imported, "witness_costs": witness,
                                    "host_requests": requests}), encoding="utf-8")
    except Exception:  # noqa: BLE001 - a benchmark's figures are never worth a grade
        pass


def isolate(job: Job) -> None:
    """Cut this process loose from the grader's terminal and state before any learner code runs
    (the worker's, and a learner host's started as a fresh interpreter)."""
    if host.HAS_PROCESS_GROUPS:
        try:
            os.setsid()
        except OSError:  # already a session leader (started as a fresh interpreter)
            pass
    cleanup.become_subreaper()
    # The learner's prints (and those of its children and of the fork server) go to a log.
    log_fd = os.open(job.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_fd, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    # Graded from inside another program (the kit's tests, under pytest's capture), sys.stdout may
    # not write to fd 1: the learner's prints would miss the log and the output limit.
    for fd, name in ((1, "stdout"), (2, "stderr")):
        if _fd_of(getattr(sys, name)) != fd:
            setattr(sys, name, open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False,
                                    buffering=1))
    # spawn and forkserver children import the parent's __main__ again; ours is the grader's
    # command line, which they have no use for.
    sys.modules["__main__"] = types.ModuleType("__main__")
    sys.dont_write_bytecode = True  # the submission folder is never written to
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.path[:] = [os.path.abspath(entry or os.curdir) for entry in sys.path]  # before the chdir below
    sys.path.insert(0, str(Path(job.submission).resolve()))
    # A file the learner's code writes by a relative path lands in the scratch folder, never in the
    # submission or wherever the grader was started.
    cwd = Path(job.scratch) / "cwd"
    cwd.mkdir(exist_ok=True)
    os.chdir(cwd)
    use_start_method(job.start_method)
    limits.apply_in_worker(limits.Limits().with_changes(job.limits))


def use_start_method(method: str) -> None:
    """Make ``method`` this process's start method, and have a fork server (whenever one is started) preload
    :data:`FORK_SERVER_PRELOAD`."""
    multiprocessing.set_start_method(method, force=True)
    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.set_forkserver_preload(list(FORK_SERVER_PRELOAD))


def main() -> None:
    """Entry point for platforms without ``fork``: the job arrives as JSON in ``sys.argv[1]``."""
    run(Job(**json.loads(sys.argv[1])))


def job_json(job: Job) -> str:
    return json.dumps(asdict(job))


def _fd_of(stream: object) -> int | None:
    try:
        return stream.fileno()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - io.UnsupportedOperation, a closed or replaced stream
        return None
