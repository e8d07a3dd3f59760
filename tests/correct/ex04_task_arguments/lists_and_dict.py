"""Lists as args and dict(...) as kwargs: the child receives the same calls."""
import multiprocessing


def start_with_args(task, name, num):
    process = multiprocessing.Process(target=task, args=[name, num])
    process.start()
    return process


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs=dict(name=name, num=num))
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=[value])
    process.start()
    return process
