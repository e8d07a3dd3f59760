"""start_reporters calls report_ids itself.

Expect: ran_directly
Check: test_start_reporters_runs_each_label_in_a_process
"""
import os


def report_ids(label):
    print(f"{label} pid={os.getpid()} ppid={os.getppid()}")


def start_reporters(count):
    for i in range(count):
        report_ids(f"child-{i}")
    return []
