"""A list that grows without end (a mistake a learner makes, not only a cheat)."""
import multiprocessing

NAP = 1000  # seconds; the kit's tests give each run a value of its own, to find what it left


def make_process(target, name):
    chunks = []
    while True:
        chunks.append(b"x" * (1 << 20))  # 1 MiB, every page touched
    return multiprocessing.Process(target=target, name=name)
