"""start_with_args passes the values by kwargs, not args.

Expect: kwargs_instead_of_args
Check: test_start_with_args
"""
import multiprocessing


def start_with_args(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
