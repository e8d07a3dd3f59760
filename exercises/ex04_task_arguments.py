"""练习 04：给进程的任务传参数（对应教程 §6 / Tutorial §6）

创建进程时有两种方式给任务传参数：
  args   以元组的方式传参：元组里的顺序要和函数参数的顺序一致；
  kwargs 以字典的方式传参：字典的 key 要和函数的参数名一致。

要写的（每个函数都创建并 start() 一个执行 task 的子进程，
然后把这个进程对象返回，不要 join）：
  start_with_args(task, name, num)    用 args 传 name 和 num（按这个顺序）
  start_with_kwargs(task, name, num)  用 kwargs 传，key 是 "name" 和 "num"
  start_with_one_arg(task, value)     用 args 传一个参数 value

评分程序会检查：返回的进程已经启动；子进程里的 task 收到的参数
正好是你应该传的那些（按位置还是按名字、顺序、个数都会检查）。

小心：(value) 不是元组，只是加了括号的 value！一个数据的元组也要加逗号：(value,)。
args=(5) 会直接报错；args=("ab") 更隐蔽：子进程会收到 "a" 和 "b" 两个参数。

Exercise 04: pass arguments to a process's task (Tutorial §6)

A process gets its task's arguments in one of two ways:
  args   a tuple, in the order of the function's parameters;
  kwargs a dict whose keys are the function's parameter names.

Write three functions; each creates and start()s a child process running task
and returns that process, without joining it:
  start_with_args(task, name, num)    pass name and num by args, in that order
  start_with_kwargs(task, name, num)  pass them by kwargs, keys "name" and "num"
  start_with_one_arg(task, value)     pass the single argument value by args

The grader checks: the process you return has been started, and task in the
child received exactly the arguments it should (by position or by name, their
order and their number).

Trap: (value) is not a tuple, just value in parentheses! A one-element tuple
needs a comma: (value,). args=(5) fails at once; args=("ab") is worse: the child
receives two arguments, "a" and "b".
"""

import multiprocessing


def start_with_args(task, name, num):
    """启动并返回一个子进程，它执行 task(name, num)（用 args 传参）。

    Start and return a child process that runs task(name, num), arguments
    passed by args.
    """
    raise NotImplementedError


def start_with_kwargs(task, name, num):
    """启动并返回一个子进程，它执行 task(name=name, num=num)（用 kwargs 传参）。

    Start and return a child process that runs task(name=name, num=num),
    arguments passed by kwargs.
    """
    raise NotImplementedError


def start_with_one_arg(task, value):
    """启动并返回一个子进程，它执行 task(value)（用只有一个数据的元组传参）。

    Start and return a child process that runs task(value), passed by args as
    a one-element tuple.
    """
    raise NotImplementedError


if __name__ == "__main__":
    # print 也是函数：子进程会把收到的参数打印出来
    # print is a function too: the child prints the arguments it received
    p1 = start_with_args(print, "Yuki", 3)  # Yuki 3
    p2 = start_with_one_arg(print, "Nagato")  # Nagato（不是 N a g a t o）
    # dict(name=..., num=...) 只接受关键字参数：退出码 0 说明 kwargs 传对了
    # dict(name=..., num=...) takes keyword arguments: exit code 0 means kwargs were right
    p3 = start_with_kwargs(dict, "Nagato", 4)
    for process in (p1, p2, p3):
        process.join()
    print("退出码 / exit codes:", p1.exitcode, p2.exitcode, p3.exitcode)
