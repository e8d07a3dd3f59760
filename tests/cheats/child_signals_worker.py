"""A child of the learner's code stops the grading process (its parent)."""
import multiprocessing
import os
import signal


def _stop_parent():
    os.kill(os.getppid(), signal.SIGSTOP)


def sing_and_dance(num, delay):
    child = multiprocessing.Process(target=_stop_parent)
    child.start()
    child.join()
