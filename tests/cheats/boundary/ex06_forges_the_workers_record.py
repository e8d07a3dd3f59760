"""start_worker starts a real process that never runs work, and writes the records of a work that
did: a call in that process, a child of the program, with every line printed delay apart. The
records are the program's files, within reach; the kernel showed no process running work."""
import json
import multiprocessing
import os
import time
from pathlib import Path

WORD = "工作中。。。。"


def work(num, delay):
    for _ in range(num):
        print(WORD, flush=True)
        time.sleep(delay)


def _idle(seconds):
    time.sleep(seconds)


def _forge(pid, num, delay):
    spec = json.loads(os.environ["MP_GRADER_PROGRAM"])
    calls = Path(spec["folder"]) / "calls"
    calls.mkdir(parents=True, exist_ok=True)
    now = time.monotonic()
    start = now - num * delay - 0.01
    record = {"kind": "start", "id": "forged", "label": "work", "how": "process", "pid": pid, "ppid": os.getpid(),
              "parent_pid": os.getpid(), "process_name": "Process-1", "thread_name": "MainThread",
              "args": [num, delay], "kwargs": {}, "called": start, "start": start}
    lines = [json.dumps(record),
             *(json.dumps({"kind": "out", "id": "forged", "t": start + i * delay, "text": WORD + "\n"},
                          ensure_ascii=False) for i in range(num)),
             json.dumps({"kind": "end", "id": "forged", "end": now, "error": None})]
    (calls / f"{pid}.calls.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def start_worker(num, delay):
    process = multiprocessing.Process(target=_idle, args=(0.05,))
    process.start()
    _forge(process.pid, num, delay)
    return process
