"""start_reporters starts threads.

Expect: ran_in_thread
Check: test_start_reporters_runs_each_label_in_a_process
"""
import os
import threading


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    threads = [threading.Thread(target=report_ids, args=(f"child-{i}",)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return threads
