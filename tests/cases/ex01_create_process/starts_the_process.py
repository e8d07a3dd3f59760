"""make_process starts the process before returning it.

Expect: started_too_early
"""
import multiprocessing


def make_process(target, name):
    process = multiprocessing.Process(target=target, name=name)
    process.start()
    return process
