"""A mutant of the solution: each pause comes before its line instead of after it; the lines are
still delay apart, num of them."""
import multiprocessing
import time


def sing(num, delay):
    for _ in range(num):
        time.sleep(delay)
        print("唱歌。。。", flush=True)


def dance(num, delay):
    for _ in range(num):
        time.sleep(delay)
        print("跳舞。。。", flush=True)


def sing_and_dance(num, delay):
    sing_process = multiprocessing.Process(target=sing, args=(num, delay))
    dance_process = multiprocessing.Process(target=dance, args=(num, delay))
    sing_process.start()
    dance_process.start()
    sing_process.join()
    dance_process.join()
