"""Each process is joined before the next starts: one after the other.

Expect: one_after_the_other
"""
import multiprocessing
import time


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。")
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。")
        time.sleep(delay)


def sing_and_dance(num, delay):
    s = multiprocessing.Process(target=sing, args=(num, delay))
    s.start()
    s.join()
    d = multiprocessing.Process(target=dance, args=(num, delay))
    d.start()
    d.join()
