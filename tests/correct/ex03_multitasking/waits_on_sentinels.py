"""Waits on both sentinels with multiprocessing.connection.wait until each has ended.
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
    workers = [multiprocessing.Process(target=task, args=(num, delay)) for task in (sing, dance)]
    for worker in workers:
        worker.start()
    waiting = [worker.sentinel for worker in workers]
    while waiting:
        ready = multiprocessing.connection.wait(waiting)
        waiting = [sentinel for sentinel in waiting if sentinel not in ready]
