"""A daemon Process subclass whose run() calls work by its global name."""
import time
from multiprocessing import Process


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。", flush=True)
        time.sleep(delay)


class DaemonWorker(Process):
    def __init__(self, num, delay):
        super().__init__(daemon=True)
        self.args_ = (num, delay)

    def run(self):
        work(*self.args_)


def start_daemon_worker(num, delay):
    worker = DaemonWorker(num, delay)
    worker.start()
    return worker
