"""start_with_args starts a thread instead of a process.

Expect: ran_in_thread
Check: test_start_with_args
"""
import multiprocessing
import threading


def start_with_args(task, name, num):
    thread = threading.Thread(target=task, args=(name, num))
    thread.start()
    return thread


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
