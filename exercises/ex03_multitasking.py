"""练习 03：用多进程同时唱歌和跳舞（对应教程 §5 / Tutorial §5）

单任务：先唱完再跳，用时是两者之和。多任务：唱歌和跳舞各在自己的子进程里，
同时进行，用时差不多只有一半。

要写的：
  sing(num, delay)   打印 "唱歌。。。" num 次，每打印一次后 time.sleep(delay)
  dance(num, delay)  打印 "跳舞。。。" num 次，每打印一次后 time.sleep(delay)
  sing_and_dance(num, delay)
      创建两个子进程，一个执行 sing(num, delay)，一个执行 dance(num, delay)；
      两个都 start() 之后，再分别 join()，等两个都结束再返回（返回 None）。

评分程序会检查：sing 和 dance 打印的内容和次数；sing_and_dance 里两个任务
各在一个新的子进程中执行、确实同时在运行；函数返回时两个子进程都已结束。

小心：start → join → start → join 会让两个进程一个接一个地运行，
不是同时；调用 run() 则根本不会创建子进程。先全部 start，再全部 join。

Exercise 03: sing and dance at the same time (Tutorial §5)

One task after the other: singing, then dancing, takes the sum of both times.
With processes, each runs in a child process of its own, at the same time,
and the whole takes about half as long.

Write:
  sing(num, delay)   print "唱歌。。。" num times, time.sleep(delay) after each
  dance(num, delay)  print "跳舞。。。" num times, time.sleep(delay) after each
  sing_and_dance(num, delay)
      start one child process running sing(num, delay) and one running
      dance(num, delay); start both, then join both; return (None) only after
      both have ended.

The grader checks: what sing and dance print, and how many times; that in
sing_and_dance each task runs in a new process of its own and both are running
at the same time; that both have ended when the function returns.

Trap: start, join, start, join runs the two processes one after the other, not
together; run() starts no process at all. Start them all, then join them all.
"""

import multiprocessing
import time


def sing(num, delay):
    """打印 "唱歌。。。" num 次，每次之后休眠 delay 秒。

    Print "唱歌。。。" num times, sleeping delay seconds after each line.
    """
    raise NotImplementedError


def dance(num, delay):
    """打印 "跳舞。。。" num 次，每次之后休眠 delay 秒。

    Print "跳舞。。。" num times, sleeping delay seconds after each line.
    """
    raise NotImplementedError


def sing_and_dance(num, delay):
    """在两个子进程中同时执行 sing 和 dance，两个都结束后才返回。

    Run sing and dance at the same time, each in a child process of its own;
    return only after both have ended.
    """
    raise NotImplementedError


if __name__ == "__main__":
    start = time.time()
    sing(3, 0.5)
    dance(3, 0.5)
    print("单任务用时 / one after the other:", round(time.time() - start, 2))

    start = time.time()
    sing_and_dance(3, 0.5)
    print("多进程用时 / with two processes:", round(time.time() - start, 2))
