"""start_with_args starts a launcher process, which starts the process that runs task; it returns
the launcher, so the caller holds a process other than the one running task.

Expect: returned_other_process
Check: test_start_with_args
"""
import multiprocessing


def launch(task, name, num):
    worker = multiprocessing.Process(target=task, args=(name, num))
    worker.start()
    worker.join()


def start_with_args(task, name, num):
    launcher = multiprocessing.Process(target=launch, args=(task, name, num))
    launcher.start()
    return launcher


def start_with_kwargs(task, name, num):
    process = multiprocessing.Process(target=task, kwargs={"name": name, "num": num})
    process.start()
    return process


def start_with_one_arg(task, value):
    process = multiprocessing.Process(target=task, args=(value,))
    process.start()
    return process
