"""start_with_kwargs passes the values by args, not kwargs.

Expect: args_instead_of_kwargs
Check: test_start_with_kwargs
"""
import multiprocessing


def start_with_args(task, name, num):
    process = multiprocessing.Process(target=task, args=(name, num))
    process.start()
    return process


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, args=(name, num))
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
