"""start_with_one_arg passes the value twice.

Expect: wrong_task_arguments
Check: test_start_with_one_arg
"""
import multiprocessing


def start_with_args(task, name, num):
    process = multiprocessing.Process(target=task, args=(name, num))
    process.start()
    return process


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value, value))
    process.start()
    return process
