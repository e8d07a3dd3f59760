"""The rendezvous waits for a sibling that is still starting, and for nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from grader.inside.records import READY, STARTED, append_record
from grader.inside.rendezvous import Rendezvous

from .conftest import ROOT


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def _meet_in_thread(rendezvous: Rendezvous, records: Path) -> tuple[threading.Thread, list[dict]]:
    outcome: list[dict] = []
    thread = threading.Thread(target=lambda: outcome.append(rendezvous.meet("first", records=str(records))))
    thread.start()
    return thread, outcome


def test_a_party_waits_past_its_patience_while_a_sibling_is_still_starting(tmp_path: Path) -> None:
    sibling = _sleeper()  # alive, started, and not up until this test says so
    try:
        records = tmp_path / "calls"
        append_record(str(records), STARTED, f"process-{sibling.pid}", {"pid": sibling.pid})
        rendezvous = Rendezvous(str(tmp_path / "meeting"), 2, patience=0.1, booting=30.0)
        thread, outcome = _meet_in_thread(rendezvous, records)
        thread.join(1.0)  # ten times its patience
        assert thread.is_alive(), outcome
        append_record(str(records), READY, f"process-{sibling.pid}", {"pid": sibling.pid, "t": time.monotonic()})
        second = rendezvous.meet("second")  # the sibling, up, arrives
        thread.join(10)
        assert second["met"] and outcome and outcome[0]["met"], (second, outcome)
    finally:
        sibling.kill()
        sibling.wait()


def test_with_no_sibling_on_its_way_a_party_waits_its_patience_only(tmp_path: Path) -> None:
    records = tmp_path / "calls"
    # One sibling up long ago, one started that has ended without coming up: neither is on its way.
    append_record(str(records), STARTED, "process-1", {"pid": 2**22 + 12345})
    append_record(str(records), STARTED, "process-2", {"pid": 2**22 + 12346})
    append_record(str(records), READY, "process-1", {"pid": 2**22 + 12345, "t": time.monotonic() - 100})
    rendezvous = Rendezvous(str(tmp_path / "meeting"), 2, patience=0.2, booting=30.0)
    began = time.monotonic()
    outcome = rendezvous.meet("first", records=str(records))
    assert not outcome["met"] and time.monotonic() - began < 5.0, outcome


def test_a_sibling_that_never_comes_up_is_waited_for_booting_seconds_at_most(tmp_path: Path) -> None:
    sibling = _sleeper()
    try:
        records = tmp_path / "calls"
        append_record(str(records), STARTED, f"process-{sibling.pid}", {"pid": sibling.pid})
        rendezvous = Rendezvous(str(tmp_path / "meeting"), 2, patience=0.1, booting=0.5)
        outcome = rendezvous.meet("first", records=str(records))
        assert not outcome["met"] and 0.6 <= outcome["waited"] < 10.0, outcome
    finally:
        sibling.kill()
        sibling.wait()


SPAWNED_CHILD = """if True:
    import json, multiprocessing, sys
    from grader.inside import observe, tasks
    from grader.inside.call_records import record_lines
    from grader.inside.probes import Probe

    if __name__ == "__main__":
        folder = sys.argv[1]
        registry = observe.ProcessRegistry().install()
        registry.child_patches.append(("grader.inside.tasks", "do_nothing", Probe(tasks.do_nothing, folder)))
        child = multiprocessing.get_context("spawn").Process(target=tasks.do_nothing)
        child.start()
        child.join()
        print(json.dumps({"pid": child.pid, "lines": [[l["kind"], l.get("pid")] for l in record_lines(folder)]}))
"""


def test_a_spawned_child_is_on_its_way_from_its_start_until_its_probes_are_in_place(tmp_path: Path) -> None:
    ran = subprocess.run([sys.executable, "-c", SPAWNED_CHILD, str(tmp_path / "calls")], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout)
    assert [STARTED, seen["pid"]] in seen["lines"] and [READY, seen["pid"]] in seen["lines"], seen
