"""start_daemon_worker is written, work is still the stub: the daemon fails at once.

Expect: not_implemented
Check: test_work_prints
"""
import multiprocessing


def work(num, delay):
    raise NotImplementedError


def start_daemon_worker(num, delay):
    process = multiprocessing.Process(target=work, args=(num, delay), daemon=True)
    process.start()
    return process
