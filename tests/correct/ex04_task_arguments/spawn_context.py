"""Processes from an explicit spawn context."""
import multiprocessing

spawn = multiprocessing.get_context("spawn")


def start_with_args(task, name, num):
    process = spawn.Process(target=task, args=(name, num))
    process.start()
    return process


def start_with_kwargs(task, name, num):
    process = spawn.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = spawn.Process(target=task, args=(value,))
    process.start()
    return process
