"""练习 05：获取进程编号（对应教程 §7 / Tutorial §7）

每个进程都有自己的编号，用来区分主进程和各个子进程：
os.getpid() 获取当前进程的编号，os.getppid() 获取当前进程的父进程的编号。

要写的：
  report_ids(label)
      打印一行：f"{label} pid={os.getpid()} ppid={os.getppid()}"
  start_reporters(count)
      创建 count 个子进程，第 i 个（i 从 0 开始）执行 report_ids(f"child-{i}")；
      先全部 start()，再全部 join()，然后返回这些进程对象组成的列表。

评分程序会检查：打印的格式和编号；每个子进程的编号都和主进程不同、
彼此也不同；每个子进程收到了正确的 label；函数返回时所有子进程都已结束。

小心：循环里 start() 之后马上 join()，一次就只有一个子进程在运行。
注意：用 forkserver 方式启动时，子进程的 os.getppid() 是"进程服务器"的编号，这是正常的。

Exercise 05: process ids (Tutorial §7)

Every process has its own number (process id) that tells the main process and
the child processes apart: os.getpid() is the current process's, os.getppid()
its parent's.

Write:
  report_ids(label)
      print one line: f"{label} pid={os.getpid()} ppid={os.getppid()}"
  start_reporters(count)
      create count child processes, the i-th (from 0) running
      report_ids(f"child-{i}"); start them all, then join them all, then
      return the list of Process objects.

The grader checks: the format and the ids printed; every child's id differs
from the main process's and from the other children's; each child got the
right label; all children have ended when the function returns.

Trap: start() then join() inside the loop runs one child at a time. Note: under
the forkserver start method a child's os.getppid() is the fork server's id: normal.
"""

import multiprocessing
import os


def report_ids(label):
    """打印 "<label> pid=<当前进程编号> ppid=<父进程编号>"。

    Print "<label> pid=<this process's id> ppid=<its parent's id>".
    """
    raise NotImplementedError


def start_reporters(count) -> list:
    """同时运行 count 个执行 report_ids(f"child-{i}") 的子进程，全部结束后返回它们。

    Run count child processes, report_ids(f"child-{i}") each, at the same
    time; return the list of them once all have ended.
    """
    raise NotImplementedError


if __name__ == "__main__":
    report_ids("main")
    start_reporters(3)
