"""Starts the task twice.

Expect: ran_too_often
Check: test_task_runs_in_a_new_process
"""
import multiprocessing


def run_in_new_process(task):
    first = multiprocessing.Process(target=task)
    second = multiprocessing.Process(target=task)
    first.start()
    second.start()
    first.join()
    second.join()
    return first.exitcode
