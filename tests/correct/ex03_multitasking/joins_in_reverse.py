"""Starts sing then dance, joins dance first, then sing.
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
    dancer.join()
    singer.join()
