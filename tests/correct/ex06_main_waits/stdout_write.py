"""work writes each line with sys.stdout.write and flushes it, not print: the same text reaches the screen."""
import multiprocessing
import sys
import time


def work(num, delay):
    """Each line through sys.stdout.write, flushed, time.sleep after each."""
    for _ in range(num):
        sys.stdout.write("工作中。。。。" + "\n")
        sys.stdout.flush()
        time.sleep(delay)


def start_worker(num, delay):
    """启动一个执行 work(num, delay) 的普通子进程，不等待，立刻返回它。

    Start a normal (non-daemon) child process running work(num, delay) and
    return it at once, without waiting for it.
    """
    process = multiprocessing.Process(target=work, args=(num, delay))
    process.start()
    return process
