"""Hangs inside the function, in a loop that also swallows the grader's time-out."""
import multiprocessing
import time

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def make_process(target, name):
    while True:
        try:
            time.sleep(NAP)
        except BaseException:
            pass
    return multiprocessing.Process(target=target, name=name)
