"""The arguments are passed in the wrong order.

Expect: wrong_arguments
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
    s = multiprocessing.Process(target=sing, args=(delay, num))
    d = multiprocessing.Process(target=dance, args=(delay, num))
    s.start()
    d.start()
    s.join()
    d.join()
