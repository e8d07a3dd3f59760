"""Waits by polling sing.is_alive() only: dance is forgotten.

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
    singer = multiprocessing.Process(target=sing, args=(num, delay))
    dancer = multiprocessing.Process(target=dance, args=(num, delay))
    singer.start()
    dancer.start()
    while singer.is_alive():
        time.sleep(0.005)
