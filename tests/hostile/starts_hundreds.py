"""Starts processes without end."""
import multiprocessing
import time

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def make_process(target, name):
    while True:
        multiprocessing.Process(target=time.sleep, args=(NAP,)).start()
