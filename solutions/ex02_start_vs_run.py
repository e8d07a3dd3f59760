"""练习 02：start() 和 run() 的区别（对应教程 §3 / Tutorial §3）

进程对象有两个看起来很像的方法：
  start() 真正启动一个新的子进程，在子进程里执行 target；
  run()   只是在当前进程里直接调用 target，并没有使用多进程（进程编号不变）。

要写的：run_in_new_process(task)
  在一个新的子进程里执行 task()，等它执行结束（join），
  然后返回这个子进程的退出码 exitcode。

评分程序会检查：task 在一个新的进程里执行（进程编号和主进程不同），
函数返回前子进程已经结束，返回值就是子进程的退出码：
正常结束是 0，task 抛出异常是 1，被信号杀死时是负数。

小心：
  - 调用 run() 不会创建子进程，评分程序能通过进程编号看出来；
  - 不 join() 就读 exitcode，得到的是 None（子进程还在运行）。

Exercise 02: start() versus run() (Tutorial §3)

A process object has two methods that look alike:
  start() really starts a new child process that runs target;
  run()   just calls target in the current process: no new process, same pid.

Write run_in_new_process(task): run task() in a new child process, wait for it
to end (join), then return that process's exitcode.

The grader checks: task runs in a new process (its process id differs from the
main process's), the child has ended before the function returns, and the value
returned is the child's exit code: 0 on success, 1 when task raised an
exception, negative when a signal killed it.

Traps:
  - run() starts no process; the grader sees it from the process id.
  - Reading exitcode without join() gives None: the child is still running.
"""

import functools
import multiprocessing
import os


def run_in_new_process(task) -> int:
    """在新的子进程中执行 task()，等它结束，返回它的退出码。

    Run task() in a new child process, wait for it to end and return its
    exit code.
    """
    process = multiprocessing.Process(target=task)
    process.start()
    process.join()
    return process.exitcode


if __name__ == "__main__":
    print("主进程的编号 / main process id:", os.getpid())
    # functools.partial(print, "...") 是一个"调用时打印这句话"的函数
    # functools.partial(print, "...") is a function that prints this line when called
    task = functools.partial(print, "子进程正在运行 / the child process is running")
    code = run_in_new_process(task)
    print("子进程的退出码 / exit code:", code)
