"""Parts of ceil(stop / workers) numbers, the last ones empty (even past stop) when workers > stop; Pool.imap
over a helper that takes a tuple, the pool closed and joined in a finally."""
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
    """Ceiling-sized parts (the last ones may be empty, even past stop), imap over a tuple-taking helper."""
    size = -(-stop // workers) if stop else 0
    parts = [(k * size, min(stop, (k + 1) * size)) for k in range(workers)]
    pool = multiprocessing.Pool(processes=workers)
    try:
        return sum(pool.imap(_part, parts))
    finally:
        pool.close()
        pool.join()


def _part(bounds):
    return sum_of_squares(*bounds)
