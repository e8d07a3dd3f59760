"""Waits with multiprocessing.connection.wait on sing's sentinel only.

Expect: returned_early
Check: test_sing_and_dance_waits_for_both
"""
import multiprocessing
import multiprocessing.connection
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
    multiprocessing.connection.wait([singer.sentinel])
