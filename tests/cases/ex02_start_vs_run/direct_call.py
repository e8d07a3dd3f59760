"""The task is called directly, no process at all.

Expect: ran_directly
Check: test_task_runs_in_a_new_process
"""


def run_in_new_process(task):
    task()
    return 0
