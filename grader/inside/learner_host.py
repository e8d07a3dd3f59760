"""The learner host: the one process of a hosted exercise's grading that imports the learner's module.

The checker (the grading worker: pytest, the judges, the result writer) starts it before any
learner code is imported (a fork of itself where there is ``fork``, else
``python -m grader.inside.learner_host JOB``) and drives it through a channel of JSON lines
(:mod:`grader.grading.host_channel`). The host isolates itself (a session of its own, so that
the learner's ``killpg(0)`` cannot reach the checker; a subreaper of the learner's orphans), puts
the process registry and the tamper hook in place, and serves one request at a time:

* ``prepare``: import the learner's module (it must start no process), measure the start cost;
* any scene of the exercise's scene module (``grader.inside.scenes.<module>.SCENES``): call the
  learner's functions with the grader's probes and report what happened, as data.

* ``leftovers``: stop what the last scene left running (a check's teardown); a leak is a mistake.

A reply is ``{"id", "observation"}``, ``{"id", "mistake": {"key", "values"}}`` (the learner's code
raised, say) or ``{"id", "timeout"}``.
Nothing in a reply is a verdict: the checker judges. Nothing but JSON crosses.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from grader.catalogue import find
from grader.grading import cleanup, fixtures, own_errors
from grader.grading.plugin import _capped
from grader.inside import observe, tamper
from grader.inside.records import jsonable
from grader.inside.witnessed import WitnessedProbe
from grader.messages import Mistake

# The longest request the host reads (a request is a scene's name and a few values).
MAX_REQUEST = 1024 * 1024


class Failed(BaseException):
    """A scene's time is up. Named and worded as pytest's timeout, so that ``call_learner`` lets it
    through rather than telling it as the learner's exception."""


@dataclasses.dataclass
class Stage:
    """What one scene works with: the learner's module, the host's grading state, its probes' folder."""

    learner: Any
    grading: fixtures.Grading
    observer: fixtures.Observer
    token: str
    witness: str | None
    start_cost: float

    def probe(self, func: Callable[..., Any], label: str, bound: dict | None = None,
              rendezvous: Any = None, shown_every: int = 1) -> WitnessedProbe:
        """A recording stand-in for ``func`` that also shows itself to the checker's witness (with ``shown_every``
        above 1, only some of its calls in each process: :func:`grader.inside.witnessed._is_shown`)."""
        return WitnessedProbe(func, self.observer.folder / "calls", label, bound, self.grading.pid,
                              self.witness, self.token, rendezvous, shown_every)


class Host:
    """The host's state across requests."""

    def __init__(self, grading: fixtures.Grading, seal: tamper.SealCheck | None) -> None:
        self.grading = grading
        self.seal = seal
        self.learner: Any = None
        self.start_cost = 0.0
        scenes = importlib.import_module(f"grader.inside.scenes.{grading.exercise.module}")
        self.scenes: dict[str, Callable[..., dict[str, Any]]] = scenes.SCENES
        # Scenes that start none of the grader's processes (they call functions that start none) have no
        # use for the start cost, which costs two process starts (most of a second under spawn).
        self.measures_start_cost = getattr(scenes, "USES_START_COST", True)
        # The last scene's observer and blame, until its leftovers are stopped (the "leftovers" request).
        self.pending: tuple[fixtures.Observer, str] | None = None

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """The reply to one request (its id added by the caller)."""
        limit = float(request.get("limit") or 15.0)
        if request.get("scene") == "leftovers":
            # Not on the clock: stopping what was left must finish even after the checker gave up on the
            # check, or the next check would find its processes.
            try:
                self._stop_leftovers()
            except Mistake as leak:
                return {"mistake": _plain(leak)}
            return {"observation": {}}
        signal.signal(signal.SIGALRM, _time_is_up)
        _ON_THE_CLOCK[0] = True
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            if request.get("scene") == "prepare":
                return {"observation": self._prepare()}
            return self._play(request)
        except Mistake as mistake:
            return {"mistake": _plain(mistake)}
        except Failed:
            return {"timeout": limit}
        finally:
            _ON_THE_CLOCK[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            self._check_seal()

    def _prepare(self) -> dict[str, Any]:
        name = self.grading.exercise.module
        self.grading.registry.set_mark()
        try:
            self.learner = importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001 - any failure of the learner's import is reported
            if isinstance(exc, (KeyboardInterrupt, Failed)):
                raise
            raise Mistake("import_failed", module=name, error=type(exc).__name__,
                          traceback=self.grading.learner_frames_only(exc)) from None
        started = self.grading.registry.since_mark()
        if started:
            raise Mistake("import_started_processes", module=name, count=len(started))
        if self.measures_start_cost:
            self.start_cost = fixtures.measure_start_cost(self.grading)
        return {"pid": os.getpid(), "start_cost": self.start_cost}

    def _stop_leftovers(self) -> None:
        """Stop what the last scene left running; a leak is the learner's mistake (raised as such)."""
        if self.pending is None:
            return
        observer, blame = self.pending
        self.pending = None
        observer.stop_leftovers(grace=1.0 + 10 * self.start_cost, function=blame)

    def _play(self, request: dict[str, Any]) -> dict[str, Any]:
        """Play a scene and reply at once; what it left running is stopped on the checker's next request
        ("leftovers", as a check's teardown), so that a slow clean-up never hides the scene's outcome."""
        try:
            self._stop_leftovers()  # a checker that never asked: the next scene starts clean all the same
        except Mistake:
            pass
        scene = self.scenes[str(request["scene"])]
        token = str(request["token"])
        folder = self.grading.scratch / f"scene-{token}"
        self.grading.registry.set_mark()
        observer = fixtures.Observer(self.grading, folder)
        stage = Stage(self.learner, self.grading, observer, token, request.get("witness"), self.start_cost)
        self.pending = (observer, str(request.get("blame", "")))
        reply: dict[str, Any] = {}
        try:
            try:
                reply["observation"] = scene(stage, **request.get("args", {}))
            finally:
                observer.restore()
        except Mistake as mistake:
            reply["mistake"] = _plain(mistake)
        if "observation" in reply:
            reply["observation"]["calls"] = [dataclasses.asdict(call) for call in observer.calls()]
        return reply

    def _check_seal(self) -> None:
        what = self.seal.broken() if self.seal is not None else None
        if what is not None:
            sys.audit(tamper.SEAL_EVENT, what)


@contextlib.contextmanager
def kept(seen: dict[str, Any], name: str) -> Iterator[None]:
    """In a scene: a mistake raised inside is kept in ``seen[name]``, for the judge to raise in its turn."""
    try:
        yield
    except Mistake as mistake:
        seen[name] = _plain(mistake)


# Whether a request is on the clock: an alarm already due when its request ended must not end the host.
_ON_THE_CLOCK = [False]


def _time_is_up(signum: int, frame: Any) -> None:
    if _ON_THE_CLOCK[0]:
        raise Failed("Timeout in the learner host")


def _plain(mistake: Mistake) -> dict[str, Any]:
    """A mistake as it crosses the channel; a value of megabytes (the learner's exception) cut as in a result."""
    return {"key": mistake.key, "values": jsonable({name: _capped(value) for name, value in mistake.values.items()})}


def serve(host: Host, requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until the checker closes the channel."""
    while True:
        line = requests.readline(MAX_REQUEST)
        if not line:
            return
        request = json.loads(line)
        try:
            reply = host.answer(request)
        except Failed:  # the alarm rang as the request was ending, in one of answer's own handlers
            _ON_THE_CLOCK[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            reply = {"timeout": float(request.get("limit") or 15.0)}
        reply["id"] = request.get("id")
        replies.write((json.dumps(reply, ensure_ascii=False) + "\n").encode("utf-8"))
        replies.flush()


def run(job: Any, requests_fd: int, replies_fd: int, checker_pid: int, runner_pid: int) -> None:
    """Be the learner host for ``job`` (a ``worker.Job``) on the channel's two descriptors; never returns.

    ``checker_pid`` and ``runner_pid`` are the processes the learner's code must not signal or read.
    """
    status = own_errors.STATUS
    try:
        if hasattr(os, "setsid"):
            try:
                os.setsid()
            except OSError:
                pass
        cleanup.become_subreaper()
        # Launched now, while the checker starts pytest, rather than at the learner's first start.
        fixtures.start_helpers(job.start_method)
        registry = observe.ProcessRegistry().install()
        scratch = Path(job.scratch)
        grading = fixtures.Grading(exercise=find(job.module), submission=Path(job.submission).resolve(),
                                   start_method=job.start_method, seed=job.seed, scratch=scratch, registry=registry)
        seal = pytest_seal = None
        if job.report_fd >= 0:
            tamper.install(job.report_fd, grading.submission, scratch, [scratch / "cwd", scratch / "files"],
                           runner_pid=runner_pid, guarded=(checker_pid,))
            # What makes the replies is the grader's code and the functions it relies on: compared after every
            # request. pytest runs in the checker, not here, so a change to its code here cannot touch a reply:
            # it is an attempt all the same, told once the channel has closed (its names, four in five of the
            # seal's, would cost more than most requests).
            seal = tamper.seal(packages=tamper.OWN_PACKAGES)
            pytest_seal = tamper.seal(packages=tamper.PYTEST_PACKAGES, named_too=False)
        host = Host(grading, seal)
        with os.fdopen(requests_fd, "rb", buffering=0) as requests, os.fdopen(replies_fd, "wb") as replies:
            serve(host, requests, replies)
        if pytest_seal is not None and (what := pytest_seal.broken()) is not None:
            sys.audit(tamper.SEAL_EVENT, what)
        status = 0
    except Exception:  # the grader's own failure (an escaping KeyboardInterrupt or exit is the learner's): left for the checker
        own_errors.leave(job.scratch, own_errors.HOST)
    finally:
        try:
            cleanup.kill_tree()
        finally:
            os._exit(status)


def main() -> None:
    """``python -m grader.inside.learner_host JOB RUNNER_PID``: the fresh-interpreter host, its channel on
    stdin and stdout."""
    from grader.grading import worker

    job = worker.Job(**json.loads(sys.argv[1]))
    requests_fd, replies_fd = os.dup(0), os.dup(1)
    worker.isolate(job)  # from here fds 0, 1 and 2 are the null device and the log
    run(job, requests_fd, replies_fd, os.getppid(), int(sys.argv[2]))


if __name__ == "__main__":
    main()
