"""A Process subclass whose run() calls the task."""
from multiprocessing import Process


class TaskProcess(Process):
    def __init__(self, task):
        super().__init__()
        self.task = task

    def run(self):
        self.task()


def run_in_new_process(task) -> int:
    process = TaskProcess(task)
    process.start()
    process.join()
    return process.exitcode
