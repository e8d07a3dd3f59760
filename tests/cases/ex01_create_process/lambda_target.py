"""A lambda as target works under fork only: it cannot be pickled for spawn and forkserver.

Expect: cannot_pickle
Methods: spawn forkserver
"""
import multiprocessing


def make_process(target, name):
    return multiprocessing.Process(target=lambda: target(), name=name)
