"""The processes are started and never joined.
Check: test_sing_and_dance_waits_for_both

Expect: returned_early
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
    multiprocessing.Process(target=sing, args=(num, delay)).start()
    multiprocessing.Process(target=dance, args=(num, delay)).start()
