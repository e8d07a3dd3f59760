"""Polls is_alive() on both, sleeping between, until neither is alive; no join().
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
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        time.sleep(0.01)
