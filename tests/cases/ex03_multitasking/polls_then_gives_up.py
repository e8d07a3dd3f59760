"""Polls is_alive() about as long as one task takes, then returns whether or not both are done.

Expect: returned_early
Check: test_sing_and_dance_waits_for_both
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
    for _ in range(num + 1):
        if not any(worker.is_alive() for worker in workers):
            break
        time.sleep(delay)
