"""练习 01：创建进程对象（对应教程 §1、§3、§4 / Tutorial §1, §3, §4）

进程就是一个正在运行的程序。用 multiprocessing.Process(...) 创建一个进程对象，
只有调用它的 start() 之后，操作系统才会真正启动一个新的子进程去执行 target。

要写的：make_process(target, name)
  返回一个 multiprocessing.Process 对象：target 是子进程要执行的函数，
  name 是进程名。只创建，不启动：不要调用 start()，也不要自己调用 target。

评分程序会检查：返回的是一个还没有启动的 Process；评分程序调用 start() 之后，
target 在一个新的子进程里执行（进程编号和主进程不同），并且子进程里
multiprocessing.current_process().name 等于 name。

小心：Process(target=target()) 会在主进程里立刻调用函数，再把它的返回值
（通常是 None）当作 target。只写函数名，不要加括号。

Exercise 01: create a process object (Tutorial §1, §3, §4)

A process is a running program. multiprocessing.Process(...) creates a process
object; only when its start() is called does the operating system start a new
child process that runs target.

Write make_process(target, name): return a multiprocessing.Process whose target
is `target` and whose name is `name`. Create it, do not start it: no start(),
and do not call target yourself.

The grader checks: you return a Process that has not been started; once the
grader starts it, target runs in a new child process (its process id differs
from the main process's) and current_process().name in the child equals name.

Trap: Process(target=target()) calls the function at once, in the main process,
and passes its return value (usually None) as the target. Pass the function
itself, without parentheses.
"""

import functools
import multiprocessing


def make_process(target, name):
    """返回一个未启动的进程对象：启动后在子进程中执行 target，进程名为 name。

    Return a Process that is not started yet; once started it runs target in
    a child process, and its name is name.
    """
    return multiprocessing.Process(target=target, name=name)


if __name__ == "__main__":
    # functools.partial(print, "...") 是一个"调用时打印这句话"的函数
    # functools.partial(print, "...") is a function that prints this line when called
    greet = functools.partial(print, "你好，我在子进程里 / hello from the child process")
    process = make_process(greet, "歌手")
    print("进程名 / name:", process.name)
    print("已启动？ / alive?", process.is_alive())
    process.start()
    process.join()
    print("子进程的退出码 / exit code:", process.exitcode)
