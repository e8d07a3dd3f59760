"""Joins each process with a timeout as long as its work: the join may give up before the process ends.

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
    singer.join(num * delay)
    dancer.join(num * delay)
