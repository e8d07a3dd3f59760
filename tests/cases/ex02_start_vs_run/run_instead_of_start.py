"""run() instead of start(): the task runs in the calling process.

Expect: ran_via_run
Check: test_task_runs_in_a_new_process
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.run()
    return process.exitcode
