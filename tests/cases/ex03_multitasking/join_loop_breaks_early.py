"""Joins in a loop that stops at the first process that has ended.

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
    for worker in workers:
        worker.join()
        if worker.exitcode == 0:
            break
