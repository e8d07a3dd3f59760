"""The trust boundary (docs/DESIGN.md, "The trust boundary"): for a hosted exercise (ex01-ex11)
the checker never has the learner's module, and code that reaches for the judges, the result writer,
the channel, the witness's facts or the results gets nothing for it. Each cheat in tests/cheats/boundary/
was written against the boundary's code by someone who had read all of it."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from grader import catalogue, host
from grader.grading import host_channel, runner, witness
from grader.inside import tasks
from grader.inside.witnessed import WitnessedProbe
from grader.messages import Mistake

from .conftest import SOLUTIONS, describe

CHEATS = Path(__file__).parent / "cheats" / "boundary"

# cheat -> the keys its first failing check may have: with tamper evidence, and without it (the boundary alone).
EXPECTED = {
    # Patches in the host's copy of the grader change nothing in the checker; the seal sees them.
    "ex01_patches_the_judge": ({"tampered"}, {"not_a_process"}),
    "ex04_patches_the_result_writer": ({"tampered"}, {"not_a_process"}),
    # A forged observation is believed only where the kernel cannot be asked: no process showed
    # itself to the witness, so the target never ran. (Frames are audited: with evidence, tampering.)
    "ex01_forges_the_channel": ({"tampered"}, {"never_ran"}),
    # (Or the host is found dead when the first scene is asked for: it ended itself.)
    "ex04_forges_then_exits": ({"tampered"}, {"never_ran", "grading_process_died"}),
    # The probe's claim says "child of the caller"; the kernel says the parent is the launcher.
    "ex02_claims_a_child_not_the_callers": ({"not_a_child"}, {"not_a_child"}),
    # Lines in a results file are not what the runner reads for a hosted exercise: the checker's pipe is.
    "ex01_writes_results_and_kills_the_checker": ({"tampered"}, {"grading_process_died"}),
    # The host's count of Python's memory is forged to 0; the kernel's peak of the host, read by the checker, is not.
    "ex08_forges_the_traced_peak": ({"whole_file_in_memory"}, {"whole_file_in_memory"}),
    # The program's records of a worker are files within the learner's reach; the kernel showed no process running work.
    "ex06_forges_the_workers_record": ({"never_ran"}, {"never_ran"}),
    # os.getppid patched where report_ids runs: in the host itself the seal sees it; in a child, only the
    # kernel's parent, which the witness read, shows the printed ppid for what it is.
    "ex05_forges_getppid": ({"tampered", "wrong_ppid"}, {"wrong_ppid"}),
    # os.getpid patched while sing and dance run in the caller: the kernel says which process connected.
    "ex03_fakes_new_processes": ({"tampered"}, {"ran_directly"}),
    # sing and dance one after the other, the rendezvous files written ahead so that both "meet": the witness
    # read sing's outcome before dance began.
    "ex03_forges_the_meeting": ({"tampered"}, {"one_after_the_other"}),
    # Records of parts that processes of its own never computed: the witness saw no process call sum_of_squares.
    "ex11_forges_the_parts": ({"tampered"}, {"parts_not_seen"}),
    # Parts computed one after the other, their records marked as met: the witness saw the first part's outcome
    # sent before the second part began.
    "ex11_forges_the_meeting": ({"tampered"}, {"one_after_another"}),
    # Records of copy_file calls in real children of the caller, which copied every file itself: the host's
    # files; no process showed itself to the witness running copy_file.
    "ex09_forges_the_copy_records": ({"tampered"}, {"never_ran"}),
    # The copy's own measure of its memory, patched to say 0 in every process: the kernel's peak of the
    # copy's process, read by the checker through the witness, is not.
    "ex09_forges_the_copys_memory": ({"tampered"}, {"copy_held_whole_file"}),
    # The pool's workers taken out of the host's registry: the witness saw each of them again and again, at
    # the same time, more of them than workers.
    "ex10_hides_its_pool": ({"tampered", "too_many_alive"}, {"too_many_alive"}),
    # The host's comparison of the copies made to say yes: what it reports not copied when the call ended is
    # its word, but the checker reads the destination itself, and the copies terminated unmade are not there.
    "ex10_says_every_file_was_copied": ({"tampered"}, {"stopped_at_first_failure"}),
    # One copy at a time, the rendezvous files written ahead so that the copies "meet": the witness read each
    # copy's outcome before the next began.
    "ex10_forges_the_meeting": ({"tampered"}, {"one_at_a_time"}),
    # The pool worker's own measure of its memory, patched to say 0: the kernel's peak of each copying
    # process during each call, read by the checker through the witness, is not.
    "ex10_forges_the_copys_memory": ({"tampered"}, {"pool_copy_held_whole_file"}),
}

# The key of a first failure that leaves the other checks to what the cheat really did (and may have done right).
FAILS_ONLY_WHAT_IT_FORGED = {"never_ran", "whole_file_in_memory", "wrong_ppid", "ran_directly", "parts_not_seen",
                             "one_after_another", "one_after_the_other", "copy_held_whole_file", "too_many_alive",
                             "stopped_at_first_failure", "one_at_a_time", "pool_copy_held_whole_file"}

# cheat -> the check it passes where the tamper hook is off: a limit of the boundary (docs/DESIGN.md).
SEEN_BY_TAMPER_EVIDENCE_ONLY = {
    # A process may reset its own peak of resident memory: no count the checker can read survives that.
    "ex08_resets_the_kernels_peak": "test_copies_in_chunks",
}


def _submission(tmp_path: Path, name: str) -> tuple[Path, catalogue.Exercise]:
    exercise = catalogue.find(name.split("_", 1)[0])
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    (folder / exercise.filename).write_text((CHEATS / f"{name}.py").read_text(encoding="utf-8"), encoding="utf-8")
    return folder, exercise


def _grade(tmp_path: Path, name: str, start_method: str = "fork", tamper_evidence: bool = True):
    folder, exercise = _submission(tmp_path, name)
    return runner.grade_exercise(folder, exercise, start_method, 1, tmp_path / "scratch", timeout=5,
                                 tamper_evidence=tamper_evidence)


def test_every_boundary_cheat_is_listed() -> None:
    assert sorted([*EXPECTED, *SEEN_BY_TAMPER_EVIDENCE_ONLY]) == sorted(p.stem for p in CHEATS.glob("*.py"))


@pytest.mark.parametrize("evidence", [True, False], ids=["with-tamper-evidence", "boundary-alone"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_boundary_cheat_gets_nothing_for_it(name: str, evidence: bool, tmp_path: Path) -> None:
    result = _grade(tmp_path, name, tamper_evidence=evidence)
    assert result.score < result.max_score, describe(result)
    first = result.first_failure
    assert first is not None and first.key in EXPECTED[name][0 if evidence else 1], describe(result)
    if first.key == "tampered":
        assert all(c.key == "tampered" for c in result.checks), describe(result)
    if first.key not in FAILS_ONLY_WHAT_IT_FORGED:  # a forged observation of in-process facts may pass the check that reads only those
        assert result.score == 0, describe(result)


@pytest.mark.parametrize("name", sorted(SEEN_BY_TAMPER_EVIDENCE_ONLY))
def test_a_cheat_past_the_boundary_is_reported_as_tampering(name: str, tmp_path: Path) -> None:
    """Tampering, scoring 0, with evidence; without it the check it aims at passes: the limit is real, not assumed."""
    for run in ("evidence", "boundary-alone"):
        (tmp_path / run).mkdir()
    reported = _grade(tmp_path / "evidence", name)
    assert reported.score == 0 and all(c.key == "tampered" for c in reported.checks), describe(reported)
    unseen = _grade(tmp_path / "boundary-alone", name, tamper_evidence=False)
    assert next(c for c in unseen.checks if c.check == SEEN_BY_TAMPER_EVIDENCE_ONLY[name]).passed, describe(unseen)


@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
@pytest.mark.parametrize("name", ["ex01_forges_the_channel", "ex02_claims_a_child_not_the_callers",
                                  "ex05_forges_getppid", "ex06_forges_the_workers_record", "ex09_forges_the_copys_memory",
                                  "ex10_hides_its_pool", "ex11_forges_the_parts", "ex11_forges_the_meeting"])
def test_a_boundary_cheat_gets_nothing_under_other_start_methods(name: str, start_method: str,
                                                                 tmp_path: Path) -> None:
    result = _grade(tmp_path, name, start_method, tamper_evidence=False)
    assert result.score < result.max_score, describe(result)
    assert result.first_failure is not None and result.first_failure.key in EXPECTED[name][1], describe(result)


@pytest.mark.parametrize("name, check", [
    ("ex01_forges_the_channel", "test_target_runs_in_a_new_process"),
    ("ex02_claims_a_child_not_the_callers", "test_task_runs_in_a_new_process"),
    ("ex05_forges_getppid", "test_report_ids_in_a_child"),
    ("ex03_forges_the_meeting", "test_sing_and_dance_run_at_the_same_time"),
    ("ex06_forges_the_workers_record", "test_program_waits_for_the_worker"),
    ("ex11_forges_the_parts", "test_parts_run_at_the_same_time"),
    ("ex11_forges_the_meeting", "test_parts_run_at_the_same_time"),
    ("ex09_forges_the_copy_records", "test_each_file_in_a_process_of_its_own"),
    ("ex09_forges_the_copys_memory", "test_copies_every_file"),
    ("ex10_hides_its_pool", "test_copies_the_whole_tree"),
    ("ex10_forges_the_meeting", "test_more_than_one_process_copies"),
    ("ex10_forges_the_copys_memory", "test_more_than_one_process_copies"),
])
def test_without_the_witness_the_forgery_would_pass(name: str, check: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The forgeries are real: where the kernel is not asked (no SO_PEERCRED), the host's report is believed
    by the check the forgery is aimed at."""
    monkeypatch.setattr(witness, "AVAILABLE", False)  # the worker is a fork of this process
    result = _grade(tmp_path, name, tamper_evidence=False)
    assert next(c for c in result.checks if c.check == check).passed, describe(result)


@pytest.mark.parametrize("module", [e.module for e in catalogue.EXERCISES])
def test_the_checker_never_has_the_learners_module(module: str, start_method: str, tmp_path: Path) -> None:
    exercise = catalogue.find(module)
    folder = tmp_path / "submission"
    folder.mkdir()
    marker = '\n\nimport os as _os\nopen(f"imported-by-{_os.getpid()}", "w").close()\n'
    (folder / exercise.filename).write_text((SOLUTIONS / exercise.filename).read_text(encoding="utf-8") + marker,
                                            encoding="utf-8")
    scratch = tmp_path / "scratch"
    result = runner.grade_exercise(folder, exercise, start_method, 2, scratch)
    assert result.score == result.max_score, describe(result)
    checker = json.loads((scratch / "worker-times.json").read_text(encoding="utf-8"))
    importers = {int(p.name.rsplit("-", 1)[1]) for p in (scratch / "cwd").glob("imported-by-*")}
    assert checker["learner_imported_here"] is False
    assert importers and checker["pid"] not in importers


def _connect_claiming(address: str, token: str) -> None:
    """A child that shows itself to the witness with a claim of a made-up pid and parent."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(address)
        connection.sendall((json.dumps({"token": token, "label": "task", "pid": 1, "parent_pid": 1}) + "\n").encode())
        connection.recv(16)


@pytest.mark.skipif(not witness.AVAILABLE, reason="the witness needs SO_PEERCRED (Linux)")
def test_the_witness_takes_pid_and_parent_from_the_kernel_not_the_claim(tmp_path: Path) -> None:
    seen = witness.Witness()
    try:
        context = multiprocessing.get_context("fork")
        forger = context.Process(target=_connect_claiming, args=(seen.address, "forged"))
        probe = WitnessedProbe(tasks.do_nothing, tmp_path / "calls", "target", None, os.getpid(), seen.address, "honest")
        honest = context.Process(target=probe, args=(7,))
        for process in (forger, honest):
            process.start()
            process.join()
        [forged] = seen.sightings("forged")
        assert (forged.pid, forged.parent, forged.claim["pid"]) == (forger.pid, os.getpid(), 1)
        [call] = seen.sightings("honest")
        assert (call.pid, call.parent, call.claim["args"], call.claim["how"]) == (honest.pid, os.getpid(), [7], "process")
        # The witness's own thread reads the outcome and the end of file; after join() it may not have yet on
        # a busy machine (seen on 3.12 at load 40), which is why the judges take a call's end from its outcome.
        assert call.over.wait(30)
        assert call.outcome is not None and call.outcome["error"] is None
        assert call.seen <= call.outcome["end"] <= (call.ended or 0)
    finally:
        seen.close()


@pytest.mark.skipif(not witness.AVAILABLE, reason="the witness needs SO_PEERCRED (Linux)")
def test_a_call_is_judged_with_its_outcome_however_late_the_witness_thread_runs(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A busy machine may not schedule the thread that follows the connections before the check reads the
    # sighting: as if that thread never ran. What the ended process sent is in the kernel's buffer; the check
    # must get it.
    monkeypatch.setattr(witness.Witness, "_follow", lambda self: None)
    seen = witness.Witness()
    try:
        probe = WitnessedProbe(tasks.do_nothing, tmp_path / "calls", "target", None, os.getpid(), seen.address, "late")
        child = multiprocessing.get_context("fork").Process(target=probe, args=(7,))
        child.start()
        child.join()
        [call] = seen.sightings("late")
        assert call.outcome is not None and call.outcome["error"] is None
        assert call.over.is_set() and call.seen <= call.outcome["end"] <= (call.ended or 0)
    finally:
        seen.close()


@pytest.mark.skipif(not witness.AVAILABLE, reason="the witness needs SO_PEERCRED (Linux)")
def test_a_call_is_recorded_before_its_probe_is_let_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The accepting thread, descheduled right after its ack: the probe runs and its process ends meanwhile.
    resume = threading.Event()
    acked = socket.socket.sendall

    def ack_then_stall(self: socket.socket, data: bytes, *args: object) -> None:
        acked(self, data, *args)
        if threading.current_thread().name == "grader-witness" and data == b"go\n":
            resume.wait(30)

    monkeypatch.setattr(socket.socket, "sendall", ack_then_stall)
    seen = witness.Witness()
    try:
        probe = WitnessedProbe(tasks.do_nothing, tmp_path / "calls", "target", None, os.getpid(), seen.address, "early")
        child = multiprocessing.get_context("fork").Process(target=probe, args=(7,))
        child.start()
        child.join()
        [call] = seen.sightings("early")
        assert call.pid == child.pid
    finally:
        resume.set()
        seen.close()


def _hold(mib: int) -> None:
    """A call that holds ``mib`` MiB at once (written, so resident), then lets it go."""
    held = b"x" * (mib << 20)
    del held


@pytest.mark.skipif(not witness.AVAILABLE or not os.path.exists("/proc/self/clear_refs"),
                    reason="the witness needs SO_PEERCRED, the peak /proc/<pid>/clear_refs (Linux)")
def test_the_witness_reads_a_measured_calls_resident_peak_from_the_kernel(tmp_path: Path) -> None:
    seen = witness.Witness()
    try:
        probe = WitnessedProbe(_hold, tmp_path / "calls", "copy", None, os.getpid(), seen.address, "held")
        fork = multiprocessing.get_context("fork")
        with seen.measuring("copy"):
            child = fork.Process(target=probe, args=(32,))
            child.start()
            child.join()
        unmeasured = fork.Process(target=probe, args=(32,))
        unmeasured.start()
        unmeasured.join()
        measured, other = seen.sightings("held")
        assert measured.pid == child.pid and (measured.resident_growth or 0) >= 30 << 20
        assert other.pid == unmeasured.pid and other.resident_growth is None
        assert child.exitcode == unmeasured.exitcode == 0
    finally:
        seen.close()


def _calls_then_wait(probe: WitnessedProbe, count: int, done: Any, go_on: Any) -> None:
    """``count`` calls of ``probe`` in this process, then ``done`` set; their connections all stay open until
    ``go_on`` is set. A call returns only once acked, and the witness records it before its ack."""
    for i in range(count):
        probe(i)
    done.set()
    go_on.wait(30)


@pytest.mark.skipif(not witness.AVAILABLE, reason="the witness needs SO_PEERCRED (Linux)")
def test_hundreds_of_calls_held_open_take_no_thread_each(tmp_path: Path) -> None:
    # ex10 copies a tree of up to 250 files in one pool worker, each call's connection open until the worker
    # ends: a thread each (its stack, its malloc arena) took the checker past its address-space limit, and a
    # witness that can start no thread acks no call.
    seen = witness.Witness()
    try:
        context = multiprocessing.get_context("fork")
        done, go_on = context.Event(), context.Event()
        probe = WitnessedProbe(tasks.do_nothing, tmp_path / "calls", "copy", None, os.getpid(), seen.address, "many")
        before = threading.active_count()
        child = context.Process(target=_calls_then_wait, args=(probe, 300, done, go_on))
        child.start()
        try:
            assert done.wait(60)
            assert threading.active_count() - before <= 1
        finally:
            go_on.set()
            child.join()
        calls = seen.sightings("many")
        assert len(calls) == 300 and all(c.pid == child.pid and c.outcome is not None for c in calls)
        assert all(c.over.wait(30) for c in calls)
    finally:
        seen.close()


@pytest.mark.skipif(not witness.AVAILABLE, reason="the witness needs SO_PEERCRED (Linux)")
def test_a_probe_that_shows_some_calls_shows_the_first_then_every_nth_in_each_process(tmp_path: Path) -> None:
    # ex10's whole tree: which calls show depends on the calls alone (never on the schedule), and a forked
    # child counts its own, so that each process is seen at its first calls and on through its life.
    seen = witness.Witness()
    try:
        probe = WitnessedProbe(tasks.do_nothing, tmp_path / "calls", "copy", None, os.getpid(), seen.address,
                               "some", shown_every=4)
        context = multiprocessing.get_context("fork")
        done, go_on = context.Event(), context.Event()
        for i in range(2):
            probe(i)
        child = context.Process(target=_calls_then_wait, args=(probe, 10, done, go_on))
        child.start()  # forked after two calls here: it counts from its own first
        try:
            for i in range(2, 20):
                probe(i)
            assert done.wait(30)
        finally:
            go_on.set()
            child.join()
        calls = seen.sightings("some")
        assert [c.claim["args"][0] for c in calls if c.pid == os.getpid()] == [0, 1, 2, 3, 4, 8, 12, 16]
        assert sorted(c.claim["args"][0] for c in calls if c.pid == child.pid) == [0, 1, 2, 3, 4, 8]
    finally:
        seen.close()


def _channel(lines: list[str]) -> host_channel.LearnerHost:
    """A learner host's channel whose replies are ``lines`` (the requests go nowhere)."""
    read, write = os.pipe()
    os.write(write, "".join(line + "\n" for line in lines).encode("utf-8"))
    os.close(write)
    return host_channel.LearnerHost(os.getpid(), open(os.devnull, "wb"), os.fdopen(read, "rb"), "fork",
                                    allowed_keys=host_channel.LEARNER_ERRORS)


@pytest.mark.parametrize("reply, key", [
    ('{"id": 1, "observation": {}}', None),
    ('{"id": 0, "observation": {"stale": 1}}\n{"id": 1, "observation": {}}', None),
    ('{"id": 1, "mistake": {"key": "not_implemented", "values": {"function": "f"}}}', None),
    ('not json', "tampered"),
    ('[1, 2]', "tampered"),
    ('{"id": 2, "observation": {}}', "tampered"),
    ('{"id": 1, "observation": {}, "timeout": 3}', "tampered"),
    ('{"id": 1, "observation": []}', "tampered"),
    ('{"id": 1, "mistake": {"key": "wrong_name", "values": {"got": "a", "expected": "a"}}}', "tampered"),
    ('{"id": 1, "mistake": {"key": "not_implemented", "values": {}}}', "tampered"),
    ('{"id": 1, "mistake": {"key": 5, "values": {}}}', "tampered"),
    ('', "grading_process_died"),
])
def test_the_checker_takes_only_replies_of_the_hosts_shape(reply: str, key: str | None) -> None:
    channel = _channel(reply.split("\n") if reply else [])
    if key is None:
        assert channel.ask("scene", "a check", 1.0, "")["id"] == 1
        return
    with pytest.raises(Mistake) as raised:
        channel.ask("scene", "a check", 1.0, "")
    assert raised.value.key == key


def _fake_host(linger: float) -> host_channel.LearnerHost:
    """A forked stand-in for a learner host: at the channel's end it takes ``linger`` seconds to stop what is
    left, then exits."""
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(requests_w)
        os.close(replies_r)
        os.read(requests_r, 1)
        time.sleep(linger)
        os._exit(0)
    os.close(requests_r)
    os.close(replies_w)
    return host_channel.LearnerHost(pid, os.fdopen(requests_w, "wb"), os.fdopen(replies_r, "rb"), "fork")


@pytest.mark.skipif(not (host.FORKS_WORKERS and host.HAS_PIDFD), reason="a forked host and pidfds (Linux)")
def test_closing_the_channel_lets_the_host_end_on_its_own_and_reaps_it() -> None:
    channel = _fake_host(linger=0.2)
    channel.close()
    assert channel.reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(channel.pid, os.WNOHANG)


@pytest.mark.skipif(not (host.FORKS_WORKERS and host.HAS_PIDFD), reason="a forked host and pidfds (Linux)")
def test_a_host_that_does_not_end_is_waited_for_no_longer_than_the_patience() -> None:
    channel = _fake_host(linger=60.0)
    began = time.monotonic()
    try:
        channel.close()
        assert not channel.reaped
        assert host_channel.HOST_EXIT_PATIENCE <= time.monotonic() - began < 30.0
    finally:
        os.kill(channel.pid, signal.SIGKILL)
        os.waitpid(channel.pid, 0)


@pytest.mark.skipif(not host.FORKS_WORKERS, reason="the patch reaches the host only where the worker is a fork")
def test_a_host_ended_by_the_graders_own_error_is_told_as_the_graders(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Not "your code ended the grading process": the learner is not blamed for the kit's bug, and its traceback is kept."""
    from grader.inside import learner_host

    def broken(self: object, request: dict) -> dict:
        raise RuntimeError("a bug in the learner host")

    monkeypatch.setattr(learner_host.Host, "answer", broken)  # the worker and its host are forks of this process
    exercise = catalogue.find("ex01_create_process")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / exercise.filename).write_bytes((SOLUTIONS / exercise.filename).read_bytes())
    result = runner.grade_exercise(folder, exercise, "fork", 1, tmp_path / "scratch", timeout=5)
    failure = result.first_failure
    assert failure is not None and failure.key == "grader_error", describe(result)
    assert "a bug in the learner host" in failure.failure["values"]["traceback"], describe(result)
