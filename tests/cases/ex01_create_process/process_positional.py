"""Passes target and name by position: Process's first parameter is group ("group argument must be None").

Expect: group_given_positionally
"""
import multiprocessing


def make_process(target, name):
    return multiprocessing.Process(target, name)
