"""sing and dance called one after the other in the calling process itself, with os.getpid patched so
that each call seems to come from a process of its own: a probe in the same process reads the patched
function; the witness asks the kernel which process connected."""
import itertools
import os
import time

_fresh = itertools.count(os.getpid() + 1000)


def sing(num, delay):
    for _ in range(num):
        print("唱歌。。。", flush=True)
        time.sleep(delay)


def dance(num, delay):
    for _ in range(num):
        print("跳舞。。。", flush=True)
        time.sleep(delay)


def sing_and_dance(num, delay):
    real = os.getpid
    os.getpid = lambda: next(_fresh)
    try:
        sing(num, delay)
        dance(num, delay)
    finally:
        os.getpid = real
