"""A pool of two processes runs both tasks at once; the results are awaited before returning."""
import time
from multiprocessing import Pool


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。")
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。")
        time.sleep(delay)


def sing_and_dance(num, delay):
    with Pool(processes=2) as pool:
        jobs = [pool.apply_async(task, (num, delay)) for task in (sing, dance)]
        for job in jobs:
            job.get()
