"""Prints without end."""
import multiprocessing

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def make_process(target, name):
    while True:
        print("x" * 1000)
    return multiprocessing.Process(target=target, name=name)
