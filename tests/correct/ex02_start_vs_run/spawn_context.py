"""A process from an explicit spawn context, whatever the default start method."""
import multiprocessing


def run_in_new_process(task):
    process = multiprocessing.get_context("spawn").Process(target=task)
    process.start()
    process.join()
    return process.exitcode
