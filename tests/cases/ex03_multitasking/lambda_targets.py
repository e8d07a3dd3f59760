"""Lambdas as targets: they run under fork only, so the grade is the same under every start method.

Expect: target_not_portable
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


def sing_and_dance(num, delay):
    processes = [multiprocessing.Process(target=lambda: sing(num, delay)),
                 multiprocessing.Process(target=lambda: dance(num, delay))]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
