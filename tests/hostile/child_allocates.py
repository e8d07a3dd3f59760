"""Starts a child that allocates 4 GiB (in steps, every page touched) and waits for it."""
import multiprocessing

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def _allocate():
    held = []
    for _ in range(4 * 16):
        held.append(b"x" * (64 << 20))


def make_process(target, name):
    child = multiprocessing.Process(target=_allocate)
    child.start()
    child.join()
    return multiprocessing.Process(target=target, name=name)
