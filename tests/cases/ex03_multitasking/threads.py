"""Threads instead of processes.

Expect: ran_in_thread
"""
import threading
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
    s = threading.Thread(target=sing, args=(num, delay))
    d = threading.Thread(target=dance, args=(num, delay))
    s.start()
    d.start()
    s.join()
    d.join()
