"""Reads the teacher's files, overwrites and deletes them, and sends what it read to a listener on this machine."""
import multiprocessing
import os
import pathlib
import socket

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left
PORT = 9  # the kit's test puts its listener's port here
# It destroys only a home that holds this file, which the kit's test puts in the fake home it gives the grader:
# a test that forgets to give one (it happened once, with HOME=/root) must not cost a maintainer their files.
FAKE_HOME_MARK = ".mp-kit-fake-home"


def make_process(target, name):
    home = pathlib.Path(os.environ.get("HOME", "/root"))
    stolen = []
    for path in [home / "secret.txt", *home.glob("*")]:
        try:
            stolen.append(path.read_text())
        except OSError:
            pass
    for path in list(home.glob("*")) if (home / FAKE_HOME_MARK).exists() else []:
        try:
            path.write_text("overwritten")
            path.unlink()
        except OSError:
            pass
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=2) as line:
            line.sendall(("".join(stolen) or "connected").encode())
    except OSError:
        pass
    print("stolen:", stolen)
    raise RuntimeError(f"stolen: {stolen}")  # into the report, if anything was read
    return multiprocessing.Process(target=target, name=name)
