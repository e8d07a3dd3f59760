"""Mutants of the solution: dance's process created, started and joined before sing's, and sing's
created only after dance has started."""
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
    dance_process = multiprocessing.Process(target=dance, args=(num, delay))
    dance_process.start()
    sing_process = multiprocessing.Process(target=sing, args=(num, delay))
    sing_process.start()
    dance_process.join()
    sing_process.join()
