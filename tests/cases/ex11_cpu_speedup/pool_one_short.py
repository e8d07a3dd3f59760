"""Keeps a core for the calling process: a pool of workers - 1 processes, none at all when
workers is 1.

Expect: raised
Check: test_parallel_total_edge_cases
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with multiprocessing.Pool(workers - 1) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
