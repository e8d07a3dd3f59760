"""start_with_args starts the process but returns nothing.

Expect: not_returned
Check: test_start_with_args
"""
import multiprocessing


def start_with_args(task, name, num):
    process = multiprocessing.Process(target=task, args=(name, num))
    process.start()


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
