"""A Process subclass whose run() calls report_ids; the pid read through current_process()."""
import multiprocessing
import os
import sys


def report_ids(label):
    sys.stdout.write("%s pid=%d ppid=%d\n" % (label, multiprocessing.current_process().pid, os.getppid()))
    sys.stdout.flush()


class Reporter(multiprocessing.Process):
    def __init__(self, label):
        super().__init__()
        self.label = label

    def run(self):
        report_ids(self.label)


def start_reporters(count) -> list:
    reporters = [Reporter(f"child-{i}") for i in range(count)]
    for reporter in reporters:
        reporter.start()
    for reporter in reporters:
        reporter.join()
    return reporters
