"""Makes the process and waits for it, but never starts it: join() refuses a process that was never started.

Expect: joined_before_start
Check: test_task_runs_in_a_new_process
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.join()
    return process.exitcode
