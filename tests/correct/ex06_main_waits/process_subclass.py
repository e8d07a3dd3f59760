"""A Process subclass whose run() calls work by its global name (the tutorial's other style)."""
import time
from multiprocessing import Process


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


class Worker(Process):
    def __init__(self, num, delay):
        super().__init__()
        self.num = num
        self.delay = delay

    def run(self):
        work(self.num, self.delay)


def start_worker(num, delay):
    worker = Worker(num, delay)
    worker.start()
    return worker
