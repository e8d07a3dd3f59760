"""Writes one file without end (a relative path: into the folder the grader runs it in)."""
import multiprocessing

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def make_process(target, name):
    with open("endless.bin", "wb") as out:
        while True:
            out.write(b"x" * (1 << 20))
    return multiprocessing.Process(target=target, name=name)
