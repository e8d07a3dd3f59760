"""A lambda as target works under fork only: it cannot be pickled for spawn and forkserver,
so it fails under every start method, with the same message.

Expect: target_not_portable
"""
import multiprocessing


def make_process(target, name):
    return multiprocessing.Process(target=lambda: target(), name=name)
