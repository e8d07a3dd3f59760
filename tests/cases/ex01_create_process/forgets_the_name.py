"""The name is not passed to the process.

Expect: wrong_name
"""
import multiprocessing


def make_process(target, name):
    return multiprocessing.Process(target=target)
