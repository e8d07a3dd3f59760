"""The checker's side of the trust boundary: it starts the learner host and asks it to play scenes.

For every exercise the grading worker is the *checker*: pytest, the judges and the result writer. It never imports the learner's module and
never unpickles anything: it starts the learner host (:mod:`grader.inside.learner_host`) before
any learner code is imported, a fork of itself where there is ``fork`` (the clean state: the
grader and pytest loaded, nothing of the learner's), else a fresh interpreter, and talks to it
over two pipes of JSON lines. Every reply is untrusted data:

* a reply must be one JSON object of the shape the host writes, for the request just sent (a
  stale reply, for a request whose check timed out, is skipped); a mistake must be a key this
  exercise lets the host report (the learner's code raised, could not be imported ...), whose
  values fill its texts; anything else is the host having been tampered with: reported on the
  runner's tamper pipe by the checker itself, and the check fails;
* what happened in the learner's children comes from the witness (:mod:`grader.grading.witness`)
  where the kernel tells, and from the host's report only where it does not (:func:`calls_of`).

A host that dies fails the check it died in (``grading_process_died``) and every later check as
not checked, as a worker that died did before.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from grader import KIT_ROOT, host, messages
from grader.grading import own_errors
from grader.grading import witness as witness_
from grader.messages import Mistake

# What the learner's code may make go wrong in the host, which the host reports as such (the checks
# module of an exercise adds its own, ``HOST_MISTAKES``): a report of one lowers the grade, never raises it.
LEARNER_ERRORS = frozenset({
    "import_failed", "import_started_processes", "not_implemented", "raised", "too_many_processes",
    "cannot_pickle", "group_given_positionally", "joined_before_start", "target_not_portable", "leaked_processes",
})

# The longest reply the checker reads; a longer one is not the host's.
MAX_REPLY = 16 * 1024 * 1024

# How long the checker waits, once the channel is closed, for the host to stop what is left and exit on its own
# (milliseconds, normally) before its own clean-up kills whatever remains. Killing the host while it was still
# killing its helpers left them to the checker as orphans, whose end psutil then polled for up to 0.5 s.
HOST_EXIT_PATIENCE = 1.0
REPLY_KINDS = ("observation", "mistake", "timeout")


class HostTampered(Exception):
    """The host sent something it cannot have sent untouched."""


@dataclass
class SeenCall:
    """One call of a probe, as the judges read it: the kernel's facts where there is a witness."""

    label: str
    pid: int
    parent: int | None  # the kernel's parent pid (witnessed), else the child's parent_process().pid
    grandparent: int | None
    parent_is_forkserver: bool
    how: str
    process_name: str
    thread_name: str
    args: list
    kwargs: dict
    start: float
    end: float | None
    exited: float | None  # when the witness saw the process end (its connection's end of file)
    error: dict | None
    witnessed: bool
    outcome_read: float | None = None  # when the checker read the call's outcome (witnessed calls only)
    # Bytes its process's resident peak rose during the call, as the kernel counts it (read by the witness
    # for a label measured, ``LearnerHost.measuring``); None: not measured, or not told.
    resident_growth: int | None = None

    def is_child_of(self, caller: int) -> bool:
        """Whether the process that ran the call was started by ``caller`` (or by the caller's fork server)."""
        return self.parent == caller or (self.parent_is_forkserver and self.grandparent == caller)

    def under_way_with(self, other: SeenCall) -> bool:
        """Whether this call and ``other``, both witnessed, were under way at one moment: each had been seen
        before the other's outcome was read (the witness reads what a call sent before it stamps a later one,
        and a probe starts only after the witness's ack). A rendezvous the host records is believed only so."""
        never = float("inf")
        return (self.witnessed and other.witnessed and max(self.start, other.start)
                < min(self.outcome_read or never, other.outcome_read or never))


@dataclass
class LearnerHost:
    """A running learner host and the checker's end of its channel."""

    pid: int
    requests: Any
    replies: Any
    start_method: str
    report_fd: int = -1
    allowed_keys: frozenset[str] = frozenset()
    witness: witness_.Witness | None = None
    process: subprocess.Popen | None = None
    died_in: str | None = None  # the check during which the host died
    scratch: str = ""  # the job's scratch folder, where a host that failed on its own error says why
    prepared: dict[str, Any] | None = None  # the reply to ``prepare`` (the learner's module imported)
    reaped: bool = False  # its exit status collected (its pid may belong to another process by now)
    _next: int = 0
    request_times: list[float] = field(default_factory=list)

    def prepare(self, check: str, limit: float) -> None:
        """Have the host import the learner's module, once; every check fails as the import did."""
        if self.prepared is None:
            try:
                self.prepared = self.ask("prepare", check, limit, "")
            except BaseException as exc:
                if type(exc).__name__ == "Failed" and str(exc).startswith("Timeout"):
                    self.prepared = {"timeout": limit}  # an import that hangs is not waited for again
                raise
        if "mistake" in self.prepared:
            raise Mistake(self.prepared["mistake"]["key"], **self.prepared["mistake"]["values"])
        if "timeout" in self.prepared:
            raise Mistake("timeout", what=check, seconds=limit)

    def ask(self, scene: str, check: str, limit: float, blame: str, /, **args: Any) -> dict[str, Any]:
        """The host's reply to ``scene`` with ``args``, checked for shape; raises the check's failure otherwise."""
        if self.died_in is not None:
            raise Mistake("not_checked", check=self.died_in)
        self._next += 1
        token = f"{self._next}-{os.urandom(6).hex()}"
        request = {"id": self._next, "scene": scene, "args": args, "token": token, "limit": limit, "blame": blame,
                   "witness": self.witness.address if self.witness is not None else None}
        began = time.monotonic()
        try:
            self.requests.write((json.dumps(request, ensure_ascii=False) + "\n").encode("utf-8"))
            self.requests.flush()
            reply = self._reply_to(self._next)
        except (OSError, EOFError):
            self.died_in = check
            exitcode = self._exitcode()
            if (error := own_errors.left(self.scratch, own_errors.HOST, exitcode)) is not None:
                raise Mistake("grader_error", traceback=error) from None
            raise Mistake("grading_process_died", exitcode=exitcode, check=check) from None
        except HostTampered as tampered:
            self.report(str(tampered))
            raise Mistake("tampered", what=str(tampered)) from None
        finally:
            self.request_times.append(time.monotonic() - began)
        reply["token"] = token
        return reply

    def _reply_to(self, number: int) -> dict[str, Any]:
        while True:
            line = self.replies.readline(MAX_REPLY)
            if not line:
                raise EOFError
            try:
                reply = json.loads(line)
            except ValueError:
                raise HostTampered("a reply of the learner host that is not JSON") from None
            if not isinstance(reply, dict) or not isinstance(reply.get("id"), int):
                raise HostTampered("a reply of the learner host without its request's number")
            if reply["id"] < number:
                continue  # the reply to a request whose check was stopped on time
            if reply["id"] > number or sum(kind in reply for kind in REPLY_KINDS) != 1:
                raise HostTampered("a reply of the learner host to a request never sent")
            self._check_mistake(reply.get("mistake"), "mistake" in reply)
            if "observation" in reply and not isinstance(reply["observation"], dict):
                raise HostTampered("an observation of the learner host that is not a record")
            return reply

    def _check_mistake(self, mistake: Any, present: bool) -> None:
        """A mistake from the host must be one this exercise lets it report, with values that fill its texts."""
        if not present:
            return
        if not isinstance(mistake, dict) or set(mistake) != {"key", "values"} or not isinstance(mistake["values"], dict):
            raise HostTampered("a mistake from the learner host of the wrong shape")
        key = mistake["key"]
        if key not in self.allowed_keys:
            raise HostTampered(f"a mistake the learner host may not report ({str(key)[:40]!r})")
        templates = messages.definition(key).templates
        try:
            for lang in messages.LANGS:
                if not messages.placeholders(templates[lang]) <= set(mistake["values"]):
                    raise KeyError(lang)
                templates[lang].format(**mistake["values"])
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):
            raise HostTampered(f"a mistake from the learner host whose values do not fit it ({key})") from None

    def report(self, what: str) -> None:
        """Tell the runner, on its tamper pipe, what the host did: the checker's own evidence."""
        if self.report_fd < 0:
            return
        try:
            os.write(self.report_fd, (json.dumps({"tampered": what[:300], "pid": os.getpid()}) + "\n").encode("utf-8"))
        except OSError:
            pass

    def _exitcode(self) -> int | None:
        """The host's exit code, once it has ended (it is the checker's child)."""
        try:
            if self.process is not None:
                return self.process.wait(5)
            _, status = os.waitpid(self.pid, 0)
            self.reaped = True
            return os.waitstatus_to_exitcode(status)
        except (ChildProcessError, subprocess.TimeoutExpired, OSError):
            return None

    def calls_of(self, reply: dict[str, Any], label: str | None = None) -> list[SeenCall]:
        """The probe calls of one reply (``label``'s only, when given), in the order they started.

        With a witness, only what the kernel saw counts: a call the host reports that no process
        showed to the witness did not happen. Without one (no ``SO_PEERCRED``), the host's report.
        """
        if self.witness is not None:
            calls = [_witnessed(s) for s in self.witness.sightings(reply["token"])]
        else:
            calls = [_reported(c) for c in reply.get("observation", {}).get("calls", []) if isinstance(c, dict)]
        calls = [c for c in calls if c is not None and (label is None or c.label == label)]
        return sorted(calls, key=lambda c: c.start)

    @contextlib.contextmanager
    def measuring(self, label: str) -> Iterator[None]:
        """While inside, the witness reads the resident peak of each process that runs a probe of ``label``
        during the call (``SeenCall.resident_growth``); without a witness, nothing is measured."""
        with self.witness.measuring(label) if self.witness is not None else contextlib.nullcontext():
            yield

    def close(self) -> None:
        """End the channel: the host stops every process left and exits; wait (a while) for it to have done so."""
        for stream in (self.requests, self.replies):
            try:
                stream.close()
            except OSError:
                pass
        self._await_exit(HOST_EXIT_PATIENCE)
        if self.witness is not None:
            self.witness.close()

    def _await_exit(self, patience: float) -> None:
        """Wait up to ``patience`` seconds for the host to end, and reap it; one that does not end is left to the
        checker's clean-up (``cleanup.kill_tree``), as every process is."""
        if self.process is not None:
            try:
                self.process.wait(patience)
            except subprocess.TimeoutExpired:
                pass
            return
        if self.reaped:
            return
        if host.HAS_PIDFD:
            try:
                exited = os.pidfd_open(self.pid)
            except OSError:  # reaped already (it died during a check)
                return
            try:
                select.select([exited], [], [], patience)
            finally:
                os.close(exited)
        try:
            self.reaped = os.waitpid(self.pid, os.WNOHANG)[0] == self.pid
        except ChildProcessError:
            pass


def _witnessed(sighting: witness_.Sighting) -> SeenCall | None:
    claim = sighting.claim
    outcome = sighting.outcome or {}
    try:
        return SeenCall(
            label=str(claim["label"]), pid=sighting.pid, parent=sighting.parent, grandparent=sighting.grandparent,
            parent_is_forkserver=sighting.parent_is_forkserver,
            how=str(claim["how"]), process_name=str(claim["process_name"]), thread_name=str(claim["thread_name"]),
            args=list(claim["args"]), kwargs=dict(claim["kwargs"]), start=sighting.seen,
            # The probe's own end, as before the boundary: the end of file comes at the process's exit, which
            # a busy machine may let the witness read after the caller's join() has returned.
            end=float(outcome["end"]) if "end" in outcome else None, exited=sighting.ended,
            error=outcome.get("error") if isinstance(outcome.get("error"), dict) else None, witnessed=True,
            outcome_read=sighting.outcome_read, resident_growth=sighting.resident_growth)
    except (KeyError, TypeError, ValueError):
        return None


def _reported(call: dict[str, Any]) -> SeenCall | None:
    try:
        return SeenCall(
            label=str(call["label"]), pid=int(call["pid"]), parent=call["parent_pid"], grandparent=None,
            parent_is_forkserver=False,
            how=str(call["how"]), process_name=str(call["process_name"]), thread_name=str(call["thread_name"]),
            args=list(call["args"]), kwargs=dict(call["kwargs"]), start=float(call["start"]),
            end=call.get("end"), exited=None, error=call.get("error"), witnessed=False)
    except (KeyError, TypeError, ValueError):
        return None


def start(job: Any, checker_only: Iterable[int], allowed_keys: Iterable[str]) -> LearnerHost:
    """Start the learner host for ``job`` (a ``worker.Job``); ``checker_only`` are descriptors it must not keep."""
    allowed = frozenset(allowed_keys)
    if host.FORKS_WORKERS:
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        runner_pid, checker_pid = os.getppid(), os.getpid()
        pid = os.fork()
        if pid == 0:
            for fd in (requests_w, replies_r, *checker_only):
                os.close(fd)
            from grader.inside import learner_host

            learner_host.run(job, requests_r, replies_w, checker_pid, runner_pid)  # never returns
        os.close(requests_r)
        os.close(replies_w)
        channel = LearnerHost(pid, os.fdopen(requests_w, "wb"), os.fdopen(replies_r, "rb"), job.start_method,
                              job.report_fd, allowed, scratch=job.scratch)
    else:
        from dataclasses import asdict

        process = subprocess.Popen(
            [sys.executable, "-m", "grader.inside.learner_host", json.dumps(asdict(job)), str(os.getppid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=KIT_ROOT,
            pass_fds=(job.report_fd,) if job.report_fd >= 0 else ())
        channel = LearnerHost(process.pid, process.stdin, process.stdout, job.start_method, job.report_fd, allowed,
                              process=process, scratch=job.scratch)
    # Made after the host exists, so that the host holds no descriptor of it and never knew its address.
    channel.witness = witness_.Witness() if witness_.AVAILABLE else None
    return channel


@dataclass
class Played:
    """One scene the host played for a check: its observation and the calls seen."""

    channel: LearnerHost
    reply: dict[str, Any]

    @property
    def observation(self) -> dict[str, Any]:
        return self.reply["observation"]

    @property
    def caller(self) -> int:
        """The pid of the process that called the learner's function: the host, as the checker started it."""
        return self.channel.pid

    def calls(self, label: str | None = None) -> list[SeenCall]:
        return self.channel.calls_of(self.reply, label)

    def with_records(self, label: str) -> list[tuple[SeenCall, dict[str, Any]]]:
        """Each call of ``label`` seen, with the host's record of it (the n-th seen in a process with the n-th
        that process recorded; ``{}`` where there is none): what it printed and when, whether it met, the
        host's word for what went on inside the call."""
        recorded: dict[int, list[dict[str, Any]]] = {}
        for record in self.observation.get("calls", []):
            if isinstance(record, dict) and record.get("label") == label and isinstance(record.get("pid"), int):
                recorded.setdefault(record["pid"], []).append(record)
        for records in recorded.values():
            records.sort(key=lambda r: r.get("start") if isinstance(r.get("start"), (int, float)) else 0.0)
        paired, taken = [], {}
        for call in self.calls(label):
            index = taken[call.pid] = taken.get(call.pid, -1) + 1
            records = recorded.get(call.pid, [])
            paired.append((call, records[index] if index < len(records) else {}))
        return paired

    def kept_mistake(self, name: str) -> Mistake | None:
        """The mistake the scene kept as data under ``name`` (for the judge to raise in its turn), checked."""
        if name not in self.observation:
            return None
        found = self.observation[name]
        try:
            self.channel._check_mistake(found, True)
        except HostTampered as tampered:
            self.channel.report(str(tampered))
            raise Mistake("tampered", what=str(tampered)) from None
        return Mistake(found["key"], **found["values"])


class Scene:
    """What a hosted check plays in the host; when the check is over, what it left running is a leak."""

    def __init__(self, channel: LearnerHost, check: str, limit: float, blame: str) -> None:
        self.channel = channel
        self.check = check
        self.limit = limit
        self.blame = blame
        self.played = False

    def play(self, name: str, /, **args: Any) -> Played:
        """Have the host play scene ``name``; the learner's error in it fails the check as the host saw it."""
        self.played = True
        reply = self.channel.ask(name, self.check, self.limit, self.blame, **args)
        if "mistake" in reply:
            raise Mistake(reply["mistake"]["key"], **reply["mistake"]["values"])
        if "timeout" in reply:
            raise Mistake("timeout", what=self.check, seconds=self.limit)
        return Played(self.channel, reply)

    def raise_leak(self) -> None:
        """Have the host stop what the check's scenes left running; a process left is the learner's leak."""
        if not self.played:
            return
        reply = self.channel.ask("leftovers", self.check, self.limit, self.blame)
        if "mistake" in reply:
            raise Mistake(reply["mistake"]["key"], **reply["mistake"]["values"])
        if "timeout" in reply:
            raise Mistake("timeout", what=self.check, seconds=self.limit)
