"""Kills the process that calls it."""
import os
import signal


def make_process(target, name):
    os.kill(os.getpid(), signal.SIGKILL)
