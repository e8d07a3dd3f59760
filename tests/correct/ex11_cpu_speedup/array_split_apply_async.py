"""Parts as numpy's array_split cuts them (the first stop % workers one longer), apply_async from the
default context, the results read in order inside the with block."""
import multiprocessing


def sum_of_squares(start, stop) -> int:
    """用循环计算 start <= i < stop 的 i*i 之和。

    Return the sum of i*i for start <= i < stop, computed with a loop.
    """
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers) -> int:
    """array_split's way: the first stop % workers parts one longer; apply_async, results read in order."""
    base, extra = divmod(stop, workers)
    parts, begin = [], 0
    for k in range(workers):
        end = begin + base + (1 if k < extra else 0)
        parts.append((begin, end))
        begin = end
    with multiprocessing.get_context().Pool(workers) as pool:
        pending = [pool.apply_async(sum_of_squares, part) for part in parts]
        return sum(p.get() for p in pending)
