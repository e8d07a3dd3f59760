"""Builds, starts and joins the two processes with list comprehensions.
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
    workers = [multiprocessing.Process(target=task, args=(num, delay)) for task in (sing, dance)]
    [worker.start() for worker in workers]
    [worker.join() for worker in workers]
