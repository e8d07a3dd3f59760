"""Correct, but also starts a process that never ends, and a double-forked one in a session of its own."""
import multiprocessing
import os
import subprocess
import time

MARKER = "mp-kit-hostile-leak"


def _linger():
    time.sleep(1000)


def make_process(target, name):
    subprocess.Popen(["sleep", "1000"], env={"MARKER": MARKER})
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "1001"])
        os._exit(0)
    return multiprocessing.Process(target=target, name=name)
