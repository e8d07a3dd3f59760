"""Hangs while being imported."""
import multiprocessing

while True:
    pass


def make_process(target, name):
    return multiprocessing.Process(target=target, name=name)
