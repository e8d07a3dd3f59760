"""The process is created but never started.

Expect: never_ran
Check: test_task_runs_in_a_new_process
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    return 0
