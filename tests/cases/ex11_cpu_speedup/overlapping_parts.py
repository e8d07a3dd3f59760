"""Each part stops one number too far, so the numbers where parts meet are counted twice.

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
    bounds = [stop * k // workers for k in range(workers + 1)]
    parts = [(bounds[k], min(stop, bounds[k + 1] + 1)) for k in range(workers)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, parts))
