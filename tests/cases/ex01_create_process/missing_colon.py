"""A colon forgotten after the def line: the module does not even import.

Expect: import_failed
"""
import multiprocessing


def make_process(target, name)
    return multiprocessing.Process(target=target, name=name)
