"""练习 07：守护进程（对应教程 §8 / Tutorial §8）

如果不想让主进程等待子进程，可以把子进程设置为守护进程（daemon=True）：
主进程结束时，会停止所有的守护进程，子进程中剩余的工作不再继续执行。

要写的：
  work(num, delay)
      和练习 06 一样：打印 "工作中。。。。" num 次，每次之后 time.sleep(delay)
  start_daemon_worker(num, delay)
      创建一个守护进程执行 work(num, delay)，start() 之后立刻返回，不要 join()。

评分程序会检查：返回的进程已经启动、是守护进程、在主进程运行期间
确实在工作；主进程结束时它被停止了，没有留下任何进程。

小心：daemon 必须在 start() 之前设置（Process(..., daemon=True)），之后再设置会报错；
不要 join()：join() 会等它把工作全部做完，守护就没有意义了。

Exercise 07: daemon processes (Tutorial §8)

If the main process should not wait for a child, make the child a daemon
(daemon=True): when the main process ends it stops every daemon child, and
the rest of the child's work is never done.

Write:
  work(num, delay)
      as in exercise 06: print "工作中。。。。" num times, sleep(delay) after each
  start_daemon_worker(num, delay)
      start a daemon child process running work(num, delay) and return it right
      after start(), without join().

The grader checks: the process you return is started, is a daemon and does its
work while the main process runs; when the main process ends it is stopped and
no process is left behind.

Traps: set daemon before start() (Process(..., daemon=True)); setting it after
start() fails. No join(): it waits for all of the work, defeating the daemon.
"""

import multiprocessing
import time


def work(num, delay):
    """打印 "工作中。。。。" num 次，每次之后休眠 delay 秒。

    Print "工作中。。。。" num times, sleeping delay seconds after each line.
    """
    raise NotImplementedError


def start_daemon_worker(num, delay):
    """启动一个执行 work(num, delay) 的守护进程，不等待，立刻返回它。

    Start a daemon child process running work(num, delay) and return it at
    once, without waiting for it.
    """
    raise NotImplementedError


if __name__ == "__main__":
    start_daemon_worker(10, 0.2)
    time.sleep(1)
    print("主进程执行结束")
