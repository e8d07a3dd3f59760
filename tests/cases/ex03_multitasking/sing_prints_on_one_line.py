"""sing prints its word num times with end="": every one glued onto a single line.

Expect: lines_glued
Check: test_sing_prints
"""
import multiprocessing
import time


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。", end="", flush=True)
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。", flush=True)
        time.sleep(delay)


def sing_and_dance(num, delay):
    s = multiprocessing.Process(target=sing, args=(num, delay))
    d = multiprocessing.Process(target=dance, args=(num, delay))
    s.start()
    d.start()
    s.join()
    d.join()
