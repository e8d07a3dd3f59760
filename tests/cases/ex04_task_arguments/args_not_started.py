"""start_with_args returns the process without starting it.

Expect: process_not_started
Check: test_start_with_args
"""
import multiprocessing


def start_with_args(task, name, num):
    return multiprocessing.Process(target=task, args=(name, num))


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
