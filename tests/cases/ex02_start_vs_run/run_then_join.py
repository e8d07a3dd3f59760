"""Calls run() and then join(): join() refuses a process never started; the mistake is run() for start().

Expect: ran_via_run
Check: test_task_runs_in_a_new_process
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.run()
    process.join()
    return process.exitcode
