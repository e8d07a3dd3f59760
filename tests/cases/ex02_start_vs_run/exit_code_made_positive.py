"""Returns abs(exitcode): a child killed by a signal (exitcode -9 or -15) is reported as a positive code.

Expect: wrong_exit_code
Check: test_returns_a_negative_code_when_a_signal_kills_the_task
"""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    return abs(process.exitcode)
