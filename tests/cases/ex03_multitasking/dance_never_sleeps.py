"""dance forgets to sleep between lines.

Expect: lines_too_close
Check: test_dance_prints
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


def sing_and_dance(num, delay):
    s = multiprocessing.Process(target=sing, args=(num, delay))
    d = multiprocessing.Process(target=dance, args=(num, delay))
    s.start()
    d.start()
    s.join()
    d.join()
