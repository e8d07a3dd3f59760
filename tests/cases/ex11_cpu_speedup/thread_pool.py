"""multiprocessing.pool.ThreadPool: same interface as Pool, but threads of the calling process.

Expect: parts_in_threads
Check: test_parts_run_at_the_same_time
"""
from multiprocessing.pool import ThreadPool


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with ThreadPool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
