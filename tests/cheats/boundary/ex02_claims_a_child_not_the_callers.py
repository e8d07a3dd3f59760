"""Runs the task in a grandchild (os.fork twice), where it forges multiprocessing's parent to be the
caller, so the probe there claims a child of the caller; returns the grandchild's real exit code."""
import multiprocessing
import os


class _Forged:
    def __init__(self, pid):
        self.pid = pid
        self.ident = pid
        self.name = "MainProcess"


def run_in_new_process(task):
    caller = os.getpid()
    launcher = os.fork()
    if launcher == 0:
        worker = os.fork()
        if worker == 0:
            multiprocessing.process._parent_process = _Forged(caller)
            code = 0
            try:
                task()
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            except BaseException:
                code = 1
            os._exit(code)
        _, status = os.waitpid(worker, 0)
        os._exit(os.waitstatus_to_exitcode(status))
    _, status = os.waitpid(launcher, 0)
    return os.waitstatus_to_exitcode(status)
