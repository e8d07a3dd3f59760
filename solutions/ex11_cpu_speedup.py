"""练习 11：多进程的作用——让计算更快（对应教程 §2 / Tutorial §2）

电脑有好几个 CPU 核心，一个进程一次只用一个：把计算分给几个进程同时做，就能更快算完。

要写的：
  sum_of_squares(start, stop)
      用普通的 for 循环计算 start <= i < stop 的 i*i 之和（故意耗 CPU，不要用公式）。
  parallel_sum_of_squares(stop, workers)
      把 range(0, stop) 分成 workers 段相连的区间（stop 不是 workers 的倍数、
      workers 比 stop 大、stop 为 0 时都要正确），用 multiprocessing.Pool(workers)
      的 starmap 对每段调用 sum_of_squares，返回各段结果之和。

评分程序会检查：结果正确（包括边界情况）；各段在不同的子进程里同时计算；
有两个以上空闲核心时比一个进程明显更快（机器太忙时会说明并跳过这一项）。

小心：用线程不会更快（同一进程同一时刻只有一个线程执行 Python 代码）；
区间要首尾相接、不重不漏；进程池要在函数里创建，不要写在模块顶层。

Exercise 11: what processes are for: faster computing (Tutorial §2)

A computer has several CPU cores and a process uses one at a time. Split a
CPU-heavy computation into parts for several processes at once: it ends sooner.

Write:
  sum_of_squares(start, stop)
      the sum of i*i for start <= i < stop, with a plain for loop (it is meant
      to burn CPU: no closed formula).
  parallel_sum_of_squares(stop, workers)
      split range(0, stop) into workers contiguous ranges (right also when stop
      is not a multiple of workers, when workers > stop, when stop is 0), run
      sum_of_squares on each with multiprocessing.Pool(workers).starmap and
      return the total.

The grader checks: right results, edge cases included; the parts run in
different child processes at the same time; with two or more free cores it is
clearly faster than one process (on a busy machine it says so and skips that).

Traps: threads are no faster (one thread of a process runs Python at a time);
the ranges meet end to end, none missing or twice; create the pool inside the
function, not at import.
"""

import multiprocessing
import os
import time


def sum_of_squares(start, stop) -> int:
    """用循环计算 start <= i < stop 的 i*i 之和。

    Return the sum of i*i for start <= i < stop, computed with a loop.
    """
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers) -> int:
    """把 range(0, stop) 分成 workers 段，由 workers 个进程同时计算，返回 i*i 的总和。

    Return sum_of_squares(0, stop), computed as workers contiguous parts by a
    pool of workers processes running at the same time.
    """
    # 第 k 段是 [stop*k//workers, stop*(k+1)//workers)：相连、不重不漏，最后一段止于 stop
    # part k is [stop*k//workers, stop*(k+1)//workers): end to end, the last one ends at stop
    bounds = [stop * k // workers for k in range(workers + 1)]
    parts = list(zip(bounds[:-1], bounds[1:]))
    with multiprocessing.Pool(workers) as pool:
        total = sum(pool.starmap(sum_of_squares, parts))
        pool.close()
        pool.join()
    return total


if __name__ == "__main__":
    stop = 10_000_000
    workers = os.cpu_count() or 2

    start = time.time()
    serial = sum_of_squares(0, stop)
    print("一个进程 / one process:", round(time.time() - start, 2), "s")

    start = time.time()
    parallel = parallel_sum_of_squares(stop, workers)
    print(f"{workers} 个进程 / processes:", round(time.time() - start, 2), "s")
    print("结果相同 / same result:", serial == parallel)
