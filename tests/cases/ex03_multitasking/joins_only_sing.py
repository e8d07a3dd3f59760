"""Starts both, joins only sing: dance takes as long, so it is often done by then.

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
    singer.join()
