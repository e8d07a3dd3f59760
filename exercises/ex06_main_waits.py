"""练习 06：主进程会等待所有的子进程（对应教程 §8 / Tutorial §8）

默认情况下，主进程的代码执行完了，程序也不会马上退出：
主进程会等待所有（非守护的）子进程执行结束，然后才结束。

要写的：
  work(num, delay)
      打印 "工作中。。。。" num 次，每打印一次后 time.sleep(delay)
  start_worker(num, delay)
      创建一个普通的子进程（不是守护进程）执行 work(num, delay)，
      start() 之后立刻把进程对象返回，不要 join()。

评分程序会检查：work 打印的内容和次数；start_worker 返回时子进程已经
启动并且还在运行（没有等它）；它不是守护进程；程序在退出前
子进程把每一行都打印完了。

小心：这里不需要 join()，也不要设置 daemon=True：本练习要看到的正是
"主进程不等也会等"。

Exercise 06: the main process waits for its children (Tutorial §8)

By default, when the main process reaches the end of its code the program does
not exit at once: the main process waits until every (non-daemon) child process
has ended.

Write:
  work(num, delay)
      print "工作中。。。。" num times, time.sleep(delay) after each
  start_worker(num, delay)
      start a normal (not daemon) child process running work(num, delay) and
      return the Process right after start(), without join().

The grader checks: what work prints and how many times; that start_worker
returns while the child is still running (it did not wait); that the child is
not a daemon; that the child printed every line before the program exited.

Trap: no join() here, and no daemon=True: this exercise is about the main
process waiting for its children all by itself.
"""

import multiprocessing
import time


def work(num, delay):
    """打印 "工作中。。。。" num 次，每次之后休眠 delay 秒。

    Print "工作中。。。。" num times, sleeping delay seconds after each line.
    """
    raise NotImplementedError


def start_worker(num, delay):
    """启动一个执行 work(num, delay) 的普通子进程，不等待，立刻返回它。

    Start a normal (non-daemon) child process running work(num, delay) and
    return it at once, without waiting for it.
    """
    raise NotImplementedError


if __name__ == "__main__":
    start_worker(10, 0.2)
    time.sleep(1)
    print("主进程执行结束")
