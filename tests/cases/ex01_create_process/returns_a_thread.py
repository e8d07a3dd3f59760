"""make_process returns a thread, not a process.

Expect: returned_thread
"""
import threading


def make_process(target, name):
    return threading.Thread(target=target, name=name)
