"""A hostile submission fails its own exercise only: the others are graded, the report is written,
and no process it started is left alive afterwards."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest

from grader.grading import limits, sandbox

from .conftest import ROOT, SOLUTIONS

HOSTILE = Path(__file__).parent / "hostile"
RUN_MARKER = "MP_KIT_TEST_RUN"  # in the environment of the grader under test, inherited by what it starts
TIMEOUT = 3  # seconds per check: small, so that hanging submissions are stopped quickly here

# hostile module -> the mistake key of its first failing check
EXPECTED = {
    "hangs_at_import": "timeout",
    "hangs_in_call": "timeout",
    "exits": "raised",
    "kills_its_interpreter": "grading_process_died",
    "leaves_processes": "leaked_processes",
    "starts_hundreds": "too_many_processes",
    "grows_a_list": "memory_limit",
    "child_allocates": "memory_limit",
    "fork_flood": "process_limit",
    "writes_forever": "file_size_limit",
    "prints_forever": "output_limit",
    "spins_forever": "cpu_limit",
}
# Limits lowered for some hostile modules (as a teacher may, through MP_KIT_LIMITS), so that on a
# busy machine they are passed well within the small time limit used here and the suite spares the
# disk and memory; the defaults have tests of their own below.
LOWERED = {
    "grows_a_list": {"memory": 256 * limits.MIB},
    "child_allocates": {"memory": 256 * limits.MIB},
    "writes_forever": {"file_size": 16 * limits.MIB},
    "spins_forever": {"cpu": 1.0},
}
# A spin gets a small share of a busy machine's cores: CPU time accrues slower than the clock, so
# give the time limit room enough that the CPU limit is what stops it.
# Likewise forks come slowly on a busy machine: the process limit, not the clock, must stop a flood.
TIME_LIMIT = {"spins_forever": 60, "fork_flood": 30}


def hostile_copy(hostile: str, folder: Path) -> int:
    """Put the hostile module into ``folder`` as ex01, with a sleep of its own; return that sleep's length."""
    nap = random.randrange(10_000, 99_999)  # no other run (a parallel suite, a stress run) uses the same one
    source = (HOSTILE / f"{hostile}.py").read_text(encoding="utf-8")
    (folder / "ex01_create_process.py").write_text(source.replace("NAP = 1000", f"NAP = {nap}"), encoding="utf-8")
    return nap


def leftovers(nap: int, run: str | None = None, before: set[int] = frozenset()) -> list[psutil.Process]:
    """Processes the hostile submission left alive: those sleeping ``nap`` seconds, those that inherited
    the environment marked ``run``, and new descendants of this process (pids not in ``before``)."""
    found = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    for proc in psutil.process_iter(["cmdline", "environ"]):
        cmd = proc.info["cmdline"] or []
        env = proc.info["environ"] or {}
        if str(nap) in cmd or (run is not None and env.get(RUN_MARKER) == run):
            found.append(proc)
    return [p for p in found if _running(p)]


def _running(proc: psutil.Process) -> bool:
    """Whether ``proc`` still runs (a zombie is over; only its exit status waits to be read)."""
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def children_now() -> set[int]:
    """This process's descendants now (a fork server or resource tracker of an earlier test, say)."""
    return {p.pid for p in psutil.Process().children(recursive=True)}


def grade(folder: Path, run: str, *options: str, lowered: dict | None = None,
          time_limit: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, RUN_MARKER: run}
    env.pop(limits.ENVIRONMENT_VARIABLE, None)
    if lowered:
        env[limits.ENVIRONMENT_VARIABLE] = json.dumps(lowered)
    return subprocess.run(
        [sys.executable, "-m", "grader", str(folder), "--only", "ex01", "--only", "ex03",
         "--timeout", str(time_limit), *options],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )


@pytest.mark.parametrize("hostile", sorted(EXPECTED))
def test_a_hostile_submission_fails_alone_and_leaves_nothing(hostile: str, start_method: str, tmp_path: Path) -> None:
    if hostile == "starts_hundreds" and start_method != "fork":
        pytest.skip("starting 64 processes by spawn or forkserver may outlast the small time limit used here")
    folder = tmp_path / "submission"
    folder.mkdir()
    nap = hostile_copy(hostile, folder)
    shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", folder / "ex03_multitasking.py")
    report = tmp_path / "results.json"
    run = uuid.uuid4().hex
    before = children_now()
    began = time.monotonic()
    done = grade(folder, run, "--json", str(report), "--start-method", start_method, lowered=LOWERED.get(hostile),
                 time_limit=TIME_LIMIT.get(hostile, TIMEOUT))
    took = time.monotonic() - began

    assert done.returncode == 1, done.stdout + done.stderr
    results = json.loads(report.read_text(encoding="utf-8"))
    ex01 = [t for t in results["tests"] if t["name"].startswith("ex01_create_process:")]
    ex03 = [t for t in results["tests"] if t["name"].startswith("ex03_multitasking:")]
    assert ex01 and all(t["status"] == "failed" for t in ex01), results
    assert ex03 and all(t["status"] == "passed" for t in ex03), results
    assert leftovers(nap, run, before) == []
    assert sorted(folder.iterdir()) == [folder / "ex01_create_process.py", folder / "ex03_multitasking.py"]
    assert took < 120


@pytest.mark.parametrize("hostile", sorted(EXPECTED))
def test_the_learner_is_told_what_went_wrong(hostile: str, tmp_path: Path) -> None:
    from grader import catalogue
    from grader.grading import runner

    folder = tmp_path / "submission"
    folder.mkdir()
    nap = hostile_copy(hostile, folder)
    before = children_now()
    lowered = limits.Limits().with_changes(LOWERED.get(hostile, {}))
    run = runner.grade(folder, [catalogue.find("ex01")], "fork", seed=1, timeout=TIME_LIMIT.get(hostile, TIMEOUT),
                       limits=lowered)
    first = run.exercises[0].first_failure
    assert first is not None and first.key == EXPECTED[hostile], first
    assert leftovers(nap, before=before) == []


def test_files_written_by_relative_path_land_in_no_folder_of_the_user(tmp_path: Path) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    solution = (SOLUTIONS / "ex01_create_process.py").read_text(encoding="utf-8")
    (folder / "ex01_create_process.py").write_text(
        solution + '\n\nwith open("written-at-import.txt", "w") as f:\n    f.write("x")\n', encoding="utf-8")
    started_in = tmp_path / "where the grader was started"
    started_in.mkdir()
    done = subprocess.run([sys.executable, "-m", "grader", str(folder), "--only", "ex01"], cwd=started_in,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(started_in.iterdir()) == []
    assert [p.name for p in folder.iterdir()] == ["ex01_create_process.py"]


def test_the_default_memory_limit_stops_a_list_that_grows_without_end(tmp_path: Path) -> None:
    from grader import catalogue
    from grader.grading import runner

    folder = tmp_path / "submission"
    folder.mkdir()
    nap = hostile_copy("grows_a_list", folder)
    before = children_now()
    # Time enough to reach 1 GiB on a busy machine: it is the memory limit, not the clock, that must stop it.
    run = runner.grade(folder, [catalogue.find("ex01")], "fork", seed=1, timeout=60, limits=limits.Limits())
    first = run.exercises[0].first_failure
    assert first is not None and first.key == "memory_limit", first
    assert "more than 1 GiB of memory" in first.message("en")
    assert "1 GiB" in first.message("zh")
    assert leftovers(nap, before=before) == []


def test_a_write_past_the_file_size_limit_fails_the_write_not_the_process(tmp_path: Path) -> None:
    """SIGXFSZ is ignored in the worker: the learner's code sees OSError (EFBIG) and the grader says why."""
    from grader import catalogue
    from grader.grading import runner

    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "ex01_create_process.py").write_text(
        "import errno, multiprocessing\n"
        "def make_process(target, name):\n"
        "    try:\n"
        "        with open('big.bin', 'wb') as out:\n"
        "            out.write(b'x' * (2 << 20))\n"
        "    except OSError as problem:\n"
        "        assert problem.errno == errno.EFBIG, problem\n"
        "        raise\n"
        "    return multiprocessing.Process(target=target, name=name)\n", encoding="utf-8")
    run = runner.grade(folder, [catalogue.find("ex01")], "fork", seed=1, timeout=TIMEOUT,
                       limits=limits.Limits().with_changes({"file_size": 1 << 20}))
    first = run.exercises[0].first_failure
    assert first is not None and first.key == "file_size_limit", first
    assert "1 MiB" in first.message("en")


def test_teachers_change_the_limits_through_the_environment() -> None:
    assert limits.from_environment({}) == limits.Limits()
    changed = limits.from_environment({limits.ENVIRONMENT_VARIABLE: '{"memory": 2147483648, "cpu": 60}'})
    assert changed.memory == 2 * limits.GIB and changed.cpu == 60.0 and changed.processes == limits.Limits().processes
    for bad in ('{"memroy": 1}', '{"memory": -1}', '{"memory": true}', "[1]", "not json"):
        with pytest.raises(ValueError):
            limits.from_environment({limits.ENVIRONMENT_VARIABLE: bad})


class Listener:
    """A TCP listener on this machine's loopback that keeps whatever reaches it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(65536) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.mark.skipif(sandbox.unavailable() is not None, reason=f"no sandbox here: {sandbox.unavailable()}")
def test_the_gradebook_keeps_a_hostile_submission_from_the_teachers_home_and_the_network(tmp_path: Path) -> None:
    secret = uuid.uuid4().hex
    home = tmp_path / "teacher home"
    home.mkdir()
    (home / "secret.txt").write_text(secret, encoding="utf-8")
    (home / "notes.txt").write_text("keep me", encoding="utf-8")
    (home / ".mp-kit-fake-home").write_text("the hostile submission destroys only a home marked so", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in home.iterdir()}
    submissions = tmp_path / "class"
    alice = submissions / "alice"
    alice.mkdir(parents=True)
    listener = Listener()
    try:
        source = (HOSTILE / "steals_and_phones_home.py").read_text(encoding="utf-8")
        (alice / "ex01_create_process.py").write_text(source.replace("PORT = 9", f"PORT = {listener.port}"),
                                                      encoding="utf-8")
        shutil.copyfile(SOLUTIONS / "ex03_multitasking.py", alice / "ex03_multitasking.py")
        out = tmp_path / "out"
        out.mkdir()
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "grader", "gradebook", str(submissions), "--csv", str(out / "grades.csv"),
             "--json-dir", str(out / "json"), "--only", "ex01", "--only", "ex03"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)})
        took = time.monotonic() - began
    finally:
        listener.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.name: p.read_bytes() for p in home.iterdir()} == before
    outputs = [done.stdout, done.stderr, *(p.read_text(encoding="utf-8-sig") for p in out.rglob("*") if p.is_file())]
    assert all(secret not in text for text in outputs)
    report = json.loads((out / "json" / "alice.json").read_text(encoding="utf-8"))
    ex03 = [t for t in report["tests"] if t["name"].startswith("ex03_multitasking:")]
    assert ex03 and all(t["status"] == "passed" for t in ex03), report  # graded normally, inside the sandbox
    assert listener.received == []
    assert took < 120


def test_where_the_sandbox_cannot_run_the_grader_says_so_and_grades_with_the_limits(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "grader", str(SOLUTIONS), "--only", "ex01", "--sandbox"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT)})  # no bwrap on this PATH
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sandbox: not in force" in done.stderr and "limits" in done.stderr and "no network" in done.stderr


def _living_children() -> set[int]:
    """This process's descendants as psutil sees them, less the zombies."""
    found = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                found.add(child.pid)
        except psutil.NoSuchProcess:
            pass
    return found


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks children to look at")
def test_descendants_are_psutils_less_the_zombies_and_none_is_reaped_by_looking() -> None:
    from grader.grading import cleanup

    sleepers = [subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30"]) for _ in range(2)]
    zombie = os.fork()
    if zombie == 0:
        os._exit(3)
    try:
        deadline = time.monotonic() + 10
        while psutil.Process(zombie).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.01)
        while (any(not psutil.Process(s.pid).children() for s in sleepers)
               and time.monotonic() < deadline):
            time.sleep(0.01)  # the two background sleeps
        # Only this test's own processes are compared: earlier tests of the same process leave processes
        # of their own (zombies, trees that are ending) that come and go while it looks.
        ours = {zombie} | {s.pid for s in sleepers} | {
            c.pid for s in sleepers for c in psutil.Process(s.pid).children(recursive=True)}
        while True:
            before = _living_children() & ours
            seen = {p.pid for p in cleanup.descendants()} & ours
            if before == _living_children() & ours or time.monotonic() > deadline:
                break  # psutil saw the same tree before and after
        assert seen == before and zombie not in seen and len(seen) >= 4
        assert cleanup.has_children()
        if cleanup.PROC_STAT:
            assert set(cleanup.descendant_pids(os.getpid(), zombies=True)) & ours == seen | {zombie}
        # Looking reaped nothing: the zombie's exit status is still there for its parent.
        assert os.waitpid(zombie, 0) == (zombie, 3 << 8)
    finally:
        for sleeper in sleepers:
            cleanup.kill_tree(sleeper.pid, include_root=True)
            sleeper.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_watchdogs_one_pass_over_proc_measures_what_psutil_measures() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(40 << 20); time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while psutil.Process(child.pid).memory_info().rss < 40 << 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        watchdog = limits.Watchdog(os.getpid(), limits.Limits(), Path(os.devnull))
        one_pass = watchdog._measure_from_proc_stats()
        through_psutil = watchdog._measure()
        assert one_pass is not None and through_psutil is not None
        assert one_pass[0] == through_psutil[0] is False
        assert sorted(one_pass[3]) == sorted(p.pid for p in through_psutil[3])
        assert abs(one_pass[1] - through_psutil[1]) < 8 << 20  # the same pages, read a moment apart
        assert abs(one_pass[2] - through_psutil[2]) < 0.5
    finally:
        child.kill()
        child.wait()


@pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(os, "pidfd_open"), reason="forks; waits on pidfds")
def test_kill_tree_waits_for_a_flood_whose_pidfds_pass_select_s_limit() -> None:
    """A fork flood's pidfds number past FD_SETSIZE (1024): select() raised there, the clean-up broke, and the
    flood's processes piled up as zombies until the machine had no pid left (seen with suites run side by side)."""
    script = (
        "import os, resource, time\n"
        "from grader.grading import cleanup\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))\n"
        "for _ in range(300):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(60); os._exit(0)\n"
        "spare = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]\n"
        "print(cleanup.kill_tree(), len(cleanup.descendants()))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["300", "0"], done.stdout + done.stderr
