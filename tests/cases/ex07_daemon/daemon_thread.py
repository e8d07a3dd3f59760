"""A daemon thread instead of a daemon process.

Expect: ran_in_thread
Check: test_worker_is_a_daemon
"""
import threading
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_daemon_worker(num, delay):
    thread = threading.Thread(target=work, args=(num, delay), daemon=True)
    thread.start()
    return thread
