"""A thread instead of a process.

Expect: ran_in_thread
Check: test_task_runs_in_a_new_process
"""
import threading


def run_in_new_process(task):
    thread = threading.Thread(target=task)
    thread.start()
    thread.join()
    return 0
