"""The task runs in a grandchild: a child process starts it.

Expect: not_a_child
Check: test_task_runs_in_a_new_process
"""
import multiprocessing
import sys


def _middle(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    sys.exit(process.exitcode)


def run_in_new_process(task):
    process = multiprocessing.Process(target=_middle, args=(task,))
    process.start()
    process.join()
    return process.exitcode
