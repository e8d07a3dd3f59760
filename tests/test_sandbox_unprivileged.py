"""Where bubblewrap cannot run and the grader is root (Gradescope's container): the learner's code as a user of its own.

The end-to-end tests run where this process is root and the kit and Python are readable by other
users (a Gradescope image: the kit in /autograder/source, Debian's or Ubuntu's Python); elsewhere
they skip and say why. The pieces (the fresh uid, the environment, the copy of reports, the kill of
every process of the uid) are tested wherever this process is root on Linux.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import pytest

from grader.grading import no_network, sandbox, unprivileged

from .conftest import ROOT, SOLUTIONS

HOSTILE = Path(__file__).parent / "hostile"
AS_ROOT = pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                             reason="only root on Linux can run the learner's code as another user")
WHY_NOT = unprivileged.unavailable(sandbox._imported_from()) if sys.platform.startswith("linux") else "not Linux"
END_TO_END = pytest.mark.skipif(WHY_NOT is not None, reason=f"no grading as another user here: {WHY_NOT}")


def without_bwrap(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH finds no bwrap, so that the grader's fallback is what runs, and whose HOME
    is a folder of the test's own: where a fallback does not hide the home (as root on a machine whose
    Python lives in /root), a hostile submission that empties $HOME must reach only that."""
    bin_dir, home = tmp_path / "bin", tmp_path / "home"
    bin_dir.mkdir()
    home.mkdir()
    return {**os.environ, "PATH": str(bin_dir), "PYTHONPATH": str(ROOT), "HOME": str(home)}


@AS_ROOT
def test_a_fresh_uid_belongs_to_no_account_and_no_process() -> None:
    import pwd

    uid = unprivileged.fresh_uid()
    with pytest.raises(KeyError):
        pwd.getpwuid(uid)
    assert all(uid not in (p.info["uids"] or ()) for p in psutil.process_iter(["uids"]))


def test_the_grader_inside_keeps_its_settings_and_nothing_else_of_the_callers_environment(tmp_path: Path) -> None:
    env = unprivileged.environment({"PATH": "/usr/bin", "LC_ALL": "C.UTF-8", "MP_KIT_LIMITS": "{}", "GRADER_LANG": "zh",
                                    "AWS_SECRET_ACCESS_KEY": "x", "GITHUB_TOKEN": "y", "HOME": "/root"},
                                   tmp_path / "home", tmp_path / "tmp", {"MP_KIT_SANDBOXED": "1"})
    assert env == {"PATH": "/usr/bin", "LC_ALL": "C.UTF-8", "MP_KIT_LIMITS": "{}", "GRADER_LANG": "zh",
                   "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp"), "USER": "learner",
                   "LOGNAME": "learner", "MP_KIT_SANDBOXED": "1"}


def test_a_report_is_copied_back_only_as_a_regular_file_never_through_a_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the teacher's", encoding="utf-8")
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "linked.json").symlink_to(secret)
    os.mkfifo(inside / "fifo.json")
    (inside / "real.json").write_text('{"score": 1}', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    unprivileged._copy_reports({out / "linked.json": inside / "linked.json", out / "fifo.json": inside / "fifo.json",
                                out / "real.json": inside / "real.json", out / "missing.json": inside / "missing.json"})
    assert sorted(p.name for p in out.iterdir()) == ["real.json"]
    assert (out / "real.json").read_text(encoding="utf-8") == '{"score": 1}'


@AS_ROOT
def test_every_process_of_the_uid_is_killed_wherever_it_was_reparented(tmp_path: Path) -> None:
    uid = unprivileged.fresh_uid()
    read_end, write_end = os.pipe()
    starter = os.fork()
    if starter == 0:  # becomes the uid, leaves an orphan (re-parented away from us) and a child, then exits
        try:
            os.close(read_end)
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    sleep_told(write_end)
                os._exit(0)
            os.fork() or sleep_told(write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(starter, 0)
    with os.fdopen(read_end, "rb") as told:  # at EOF once both sleepers have written (and the others ended)
        sleepers = {int(line) for line in told.read().split()}
    assert len(sleepers) == 2
    # The process between starter and orphan may still be ending when the pipe closes: wait for it to go.
    deadline = time.monotonic() + 10
    while {p.pid for p in of_uid(uid)} != sleepers and time.monotonic() < deadline:
        time.sleep(0.01)
    assert {p.pid for p in of_uid(uid)} == sleepers
    unprivileged.kill_all_of(uid)
    assert of_uid(uid) == []


def sleep_told(write_end: int) -> None:
    """Write this process's pid to the test's pipe, close it, and sleep (until killed)."""
    os.write(write_end, f"{os.getpid()}\n".encode())
    os.close(write_end)
    time.sleep(300)


def of_uid(uid: int) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["uids", "status"]):
        if proc.info["uids"] and proc.info["uids"].real == uid and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(proc)
    return found


@END_TO_END
def test_graded_as_root_without_bubblewrap_a_submission_reaches_no_home_results_or_grader(tmp_path: Path) -> None:
    # A home closed to others (as /root is) inside a folder others may pass through, holding a file
    # anyone could read if they reached it; a results file and a grader's file owned by root.
    place = Path(tempfile.mkdtemp(prefix="mp-kit-test-"))
    try:
        os.chmod(place, 0o755)
        home, results, grader_dir = place / "root-home", place / "results", place / "grader"
        for folder, mode in ((home, 0o700), (results, 0o755), (grader_dir, 0o755)):
            folder.mkdir()
            os.chmod(folder, mode)
        secret = uuid.uuid4().hex
        (home / "secret.txt").write_text(secret, encoding="utf-8")
        os.chmod(home / "secret.txt", 0o644)
        (results / "results.json").write_text('{"score": 100}', encoding="utf-8")
        (grader_dir / "grader.py").write_text("trusted", encoding="utf-8")
        left = f"/tmp/mp-kit-left-{uuid.uuid4().hex}"
        source = (HOSTILE / "reaches_outside_as_root.py").read_text(encoding="utf-8")
        for name, value in (("SECRET", home / "secret.txt"), ("RESULTS", results / "results.json"),
                            ("GRADER_FILE", grader_dir / "grader.py"), ("LEFT_IN_TMP", left)):
            source = source.replace(f'{name} = "', f'{name} = "{value}"  # "', 1)
        submission = tmp_path / "submission"
        submission.mkdir()
        (submission / "ex01_create_process.py").write_text(source, encoding="utf-8")
        shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", submission / "ex03_multitasking.py")
        report = tmp_path / "out" / "record.json"
        done = subprocess.run([sys.executable, "-m", "grader", str(submission), "--only", "ex01", "--only", "ex03",
                               "--sandbox", "--record", str(report), "--timeout", "5"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, env=without_bwrap(tmp_path))
        assert done.returncode == 1, done.stdout + done.stderr
        assert sandbox.AS_ANOTHER_USER in done.stderr
        run = json.loads(report.read_text(encoding="utf-8"))
        text = json.dumps(run)
        assert "managed: []" in text, text  # the learner's own exception: it managed nothing
        assert secret not in text + done.stdout + done.stderr
        assert (results / "results.json").read_text(encoding="utf-8") == '{"score": 100}'
        assert (grader_dir / "grader.py").read_text(encoding="utf-8") == "trusted"
        assert not os.path.exists(left)
        assert sorted(p.name for p in submission.iterdir()) == ["ex01_create_process.py", "ex03_multitasking.py"]
    finally:
        shutil.rmtree(place, ignore_errors=True)


@END_TO_END
def test_graded_as_another_user_the_solutions_pass_and_the_reports_arrive(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "grader", str(SOLUTIONS), "--sandbox", "--json", str(out / "r.json"),
                           "--junit", str(out / "j.xml")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=without_bwrap(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.AS_ANOTHER_USER in done.stderr
    assert json.loads((out / "r.json").read_text(encoding="utf-8"))["tests"]
    assert "<testsuite" in (out / "j.xml").read_text(encoding="utf-8")


LIMITED = ("grows_a_list", "child_allocates", "fork_flood", "writes_forever", "prints_forever", "spins_forever")


@END_TO_END
@pytest.mark.parametrize("hostile", LIMITED)
def test_as_another_user_each_limit_fails_that_exercise_alone_with_its_message(hostile: str, tmp_path: Path) -> None:
    from .test_isolation import EXPECTED, LOWERED, TIME_LIMIT, hostile_copy, leftovers

    submission = tmp_path / "submission"
    submission.mkdir()
    nap = hostile_copy(hostile, submission)
    shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", submission / "ex03_multitasking.py")
    record = tmp_path / "out" / "record.json"
    env = without_bwrap(tmp_path)
    env.pop("MP_KIT_LIMITS", None)
    if hostile in LOWERED:
        env["MP_KIT_LIMITS"] = json.dumps(LOWERED[hostile])
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "grader", str(submission), "--only", "ex01", "--only", "ex03",
                           "--sandbox", "--record", str(record), "--timeout", str(TIME_LIMIT.get(hostile, 3))],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert sandbox.AS_ANOTHER_USER in done.stderr
    exercises = {e["module"]: e for e in json.loads(record.read_text(encoding="utf-8"))["exercises"]}
    first = next(c for c in exercises["ex01_create_process"]["checks"] if not c["passed"])
    assert first["failure"]["key"] == EXPECTED[hostile], first
    assert all(c["passed"] for c in exercises["ex03_multitasking"]["checks"])
    assert leftovers(nap) == []
    assert time.monotonic() - began < 120


@END_TO_END
def test_the_gradebook_as_root_without_bubblewrap_notes_what_held(tmp_path: Path) -> None:
    from grader.teacher import isolation

    alice = tmp_path / "class" / "alice"
    alice.mkdir(parents=True)
    shutil.copyfile(SOLUTIONS / "ex01_create_process.py", alice / "ex01_create_process.py")
    table = tmp_path / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "grader", "gradebook", str(tmp_path / "class"), "--only", "ex01",
                           "--csv", str(table), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=without_bwrap(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    with open(table, encoding="utf-8-sig", newline="") as rows:
        row = next(csv.DictReader(rows))
    assert row["score"] == "4", row
    assert row["note"] == isolation.no_sandbox_note("en", sandbox.what_runs_instead() or "")
    assert "unprivileged user of its own" in row["note"], row


NO_FILTER = pytest.mark.skipif(not no_network.works_here(),
                               reason=f"no seccomp filter here: {no_network.unavailable() or 'refused'}")


@NO_FILTER
def test_the_filter_refuses_internet_sockets_and_keeps_local_ones_for_multiprocessing() -> None:
    from .test_isolation import Listener

    listener = Listener()
    try:
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                no_network.block()
                for family, kind in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM),
                                     (socket.AF_INET6, socket.SOCK_STREAM)):
                    try:
                        socket.socket(family, kind).close()
                        os._exit(1)
                    except PermissionError:
                        pass
                try:
                    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
                    os._exit(1)
                except PermissionError:
                    pass
                import multiprocessing

                with multiprocessing.get_context("forkserver").Manager() as manager:  # AF_UNIX, a fork server
                    shared = manager.list([1])
                    code = 0 if list(shared) == [1] else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        listener.close()
    assert os.waitstatus_to_exitcode(status) == 0
    assert listener.received == []


@NO_FILTER
def test_graded_without_bubblewrap_a_submission_reaches_no_listener_and_is_graded(tmp_path: Path) -> None:
    from .test_isolation import Listener

    submission = tmp_path / "submission"
    submission.mkdir()
    listener = Listener()
    try:
        source = (HOSTILE / "steals_and_phones_home.py").read_text(encoding="utf-8")
        (submission / "ex01_create_process.py").write_text(source.replace("PORT = 9", f"PORT = {listener.port}"),
                                                           encoding="utf-8")
        shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", submission / "ex03_multitasking.py")
        record = tmp_path / "record.json"
        done = subprocess.run([sys.executable, "-m", "grader", str(submission), "--only", "ex01", "--only", "ex03",
                               "--sandbox", "--record", str(record), "--timeout", "5"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, env=without_bwrap(tmp_path))
    finally:
        listener.close()
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"; {sandbox.NO_NETWORK}:" in done.stderr.split("Not in force")[0]
    assert listener.received == []
    exercises = {e["module"]: e for e in json.loads(record.read_text(encoding="utf-8"))["exercises"]}
    assert all(c["passed"] for c in exercises["ex03_multitasking"]["checks"])
