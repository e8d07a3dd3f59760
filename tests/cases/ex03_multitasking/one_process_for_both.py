"""Both tasks run in one child process.

Expect: same_process
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


def both(num, delay):
    sing(num, delay)
    dance(num, delay)


def sing_and_dance(num, delay):
    p = multiprocessing.Process(target=both, args=(num, delay))
    p.start()
    p.join()
