"""sing_and_dance is written, but sing and dance still raise NotImplementedError in the children.

Expect: not_implemented
"""
import multiprocessing


def sing(num, delay):
    raise NotImplementedError


def dance(num, delay):
    raise NotImplementedError


def sing_and_dance(num, delay):
    s = multiprocessing.Process(target=sing, args=(num, delay))
    d = multiprocessing.Process(target=dance, args=(num, delay))
    s.start()
    d.start()
    s.join()
    d.join()
