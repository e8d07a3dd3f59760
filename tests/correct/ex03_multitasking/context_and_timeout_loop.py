"""The default context's processes, each joined with a timeout in a loop until it has ended.
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
    context = multiprocessing.get_context()
    workers = [context.Process(target=sing, args=(num, delay)), context.Process(target=dance, args=(num, delay))]
    for worker in workers:
        worker.start()
    for worker in workers:
        while worker.exitcode is None:
            worker.join(delay)
