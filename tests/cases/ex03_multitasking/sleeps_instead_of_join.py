"""Sleeps a little longer than one task takes instead of joining.

Expect: returned_early
Check: test_sing_and_dance_waits_for_both
"""
import multiprocessing
import time


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。", flush=True)
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。", flush=True)
        time.sleep(delay)


def sing_and_dance(num, delay):
    multiprocessing.Process(target=sing, args=(num, delay)).start()
    multiprocessing.Process(target=dance, args=(num, delay)).start()
    time.sleep(num * delay + 0.2)
