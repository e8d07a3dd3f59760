"""Hangs inside the function, in a loop that also swallows the grader's time-out."""
import multiprocessing
import time


def make_process(target, name):
    while True:
        try:
            time.sleep(1000)
        except BaseException:
            pass
    return multiprocessing.Process(target=target, name=name)
