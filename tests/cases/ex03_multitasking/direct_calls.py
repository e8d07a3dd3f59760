"""The tasks are called directly, one after the other.

Expect: ran_directly
"""
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
    sing(num, delay)
    dance(num, delay)
