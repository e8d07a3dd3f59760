"""sing and dance run one after the other, each joined before the next starts, having first written the
rendezvous' arrival files itself, so that each seems to have met the other: the meeting is the host's record."""
import multiprocessing
import os
import time


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。", flush=True)
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。", flush=True)
        time.sleep(delay)


def sing_and_dance(num, delay):
    for value in (globals()["sing"], globals()["dance"]):
        meeting = getattr(value, "rendezvous", None)
        if meeting is not None:
            os.makedirs(meeting.folder, exist_ok=True)
            for i in range(meeting.parties):
                with open(os.path.join(meeting.folder, f"partner-{i}"), "w"):
                    pass
    for task in (sing, dance):
        process = multiprocessing.Process(target=task, args=(num, delay))
        process.start()
        process.join()
