"""start_with_kwargs uses keys that are not task's parameter names.

Expect: wrong_keys
Check: test_start_with_kwargs
"""
import multiprocessing


def start_with_args(task, name, num):
    process = multiprocessing.Process(target=task, args=(name, num))
    process.start()
    return process


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"n": name, "number": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
