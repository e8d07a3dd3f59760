"""Returns 0 at once, without waiting for the child.

Expect: missing_join
Check: test_returns_the_exit_code
"""
import multiprocessing


def run_in_new_process(task):
    multiprocessing.Process(target=task).start()
    return 0
