"""target=target() calls the task at once, in the calling process.

Expect: target_ran_early
"""
import multiprocessing


def make_process(target, name):
    return multiprocessing.Process(target=target(), name=name)
