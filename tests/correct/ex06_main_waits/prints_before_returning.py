"""start_worker reports the worker's pid after starting it, and sleeps first, then prints, in work."""
import multiprocessing
import os
import time


def work(num, delay):
    print(f"worker {os.getpid()} starts")
    for _ in range(num):
        time.sleep(delay)
        print("工作中。。。。")


def start_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    print(f"started worker pid={process.pid}")
    return process


if __name__ == "__main__":
    start_worker(10, 0.2)
    time.sleep(1)
    print("主进程执行结束")
