"""Each process runs a helper of the learner's that calls sing or dance (a global lookup in the child)."""
import time
from multiprocessing import Process


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。")
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。")
        time.sleep(delay)


def perform(what, num, delay):
    if what == "sing":
        sing(num, delay)
    else:
        dance(num, delay)


def sing_and_dance(num, delay):
    workers = [Process(target=perform, args=(what, num, delay)) for what in ("sing", "dance")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
