"""A thread instead of a process.

Expect: ran_in_thread
Check: test_worker_is_a_normal_process
"""
import threading
import time


def work(num, delay):
    for _ in range(num):
        print("工作中。。。。")
        time.sleep(delay)


def start_worker(num, delay):
    thread = threading.Thread(target=work, args=(num, delay))
    thread.start()
    return thread
