"""Starts a child that spins on the CPU without end, and waits for it."""
import multiprocessing

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def _spin():
    while True:
        pass


def make_process(target, name):
    child = multiprocessing.Process(target=_spin)
    child.start()
    child.join()
    return multiprocessing.Process(target=target, name=name)
