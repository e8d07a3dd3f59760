"""sing prints its num lines in one print and never sleeps: the lines come all at once.

Expect: lines_too_close
Check: test_sing_prints
"""
import multiprocessing
import time


def sing(num, delay):
    print("唱歌。。。\n" * num, end="")


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
