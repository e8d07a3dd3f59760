"""Parts of stop // workers numbers each: the last stop % workers numbers are never added.

Expect: wrong_total
Check: test_parallel_total
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    size = stop // workers
    parts = [(k * size, (k + 1) * size) for k in range(workers)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, parts))
