"""A Process subclass whose run() calls the task; keyword arguments; join, then close()."""
import multiprocessing
import time


def sing(num, delay):
    for i in range(num):
        print("唱歌。。。", flush=True)
        time.sleep(delay)


def dance(num, delay):
    count = 0
    while count < num:
        print("跳舞。。。")
        time.sleep(delay)
        count += 1


class Performer(multiprocessing.Process):
    def __init__(self, task, num, delay):
        super().__init__()
        self.task, self.num, self.delay = task, num, delay

    def run(self):
        self.task(num=self.num, delay=self.delay)


def sing_and_dance(num, delay):
    performers = [Performer(sing, num, delay), Performer(dance, num, delay)]
    for performer in performers:
        performer.start()
    for performer in performers:
        performer.join()
        performer.close()
