"""Correct, but also starts a process that never ends (with an environment of its own), and a double-forked
one in a session of its own."""
import multiprocessing
import os
import subprocess

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def make_process(target, name):
    subprocess.Popen(["sleep", str(NAP)], env={})
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", str(NAP + 1)])
        os._exit(0)
    return multiprocessing.Process(target=target, name=name)
