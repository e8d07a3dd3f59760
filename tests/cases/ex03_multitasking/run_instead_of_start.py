"""run() instead of start(): no new process.

Expect: ran_via_run
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
    d = multiprocessing.Process(target=dance, args=(num, delay))
    s.run()
    d.run()
