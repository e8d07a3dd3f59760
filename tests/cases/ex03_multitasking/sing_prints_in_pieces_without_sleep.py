"""sing prints each line in two pieces and never sleeps: no single write holds a whole line, and
the lines still come back to back.

Expect: lines_too_close
Check: test_sing_prints
"""
import multiprocessing
import time


def sing(num, delay):
    for _ in range(num):
        print("唱歌", "。。。", sep="")


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。")
        time.sleep(delay)


def sing_and_dance(num, delay):
    sing_process = multiprocessing.Process(target=sing, args=(num, delay))
    dance_process = multiprocessing.Process(target=dance, args=(num, delay))
    sing_process.start()
    dance_process.start()
    sing_process.join()
    dance_process.join()
