"""Graded by root without bubblewrap: reads a closed home, overwrites the results and the grader, may signal
root's processes, leaves files in /tmp; says in its exception what it managed."""
import multiprocessing
import os
import pathlib

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left
SECRET = "/nonexistent/secret.txt"  # the kit's test puts a file of a closed home here
RESULTS = "/nonexistent/results.json"  # and a results file the grader's user owns here
GRADER_FILE = "/nonexistent/grader.py"  # and a file of the grader's here
LEFT_IN_TMP = "/tmp/mp-kit-left-behind"  # the test gives each run a name of its own


def make_process(target, name):
    managed = []
    try:
        managed.append("read the secret: " + pathlib.Path(SECRET).read_text())
    except OSError:
        pass
    for path in (RESULTS, GRADER_FILE):
        try:
            with open(path, "w") as out:
                out.write("overwritten")
            managed.append(f"wrote {path}")
        except OSError:
            pass
    try:
        os.unlink(RESULTS)
        managed.append("deleted the results")
    except OSError:
        pass
    for status in pathlib.Path("/proc").glob("[0-9]*/status"):
        try:
            if "\nUid:\t0\t" in status.read_text():
                os.kill(int(status.parent.name), 0)
                managed.append(f"may signal root's process {status.parent.name}")
        except (OSError, ValueError):
            pass
    pathlib.Path(LEFT_IN_TMP).mkdir(exist_ok=True)
    (pathlib.Path(LEFT_IN_TMP) / "junk").write_text("x")
    raise RuntimeError(f"managed: {managed}")
    return multiprocessing.Process(target=target, name=name)
