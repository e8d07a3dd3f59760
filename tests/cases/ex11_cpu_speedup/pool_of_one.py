"""A Pool of one process: every part waits for the one before.

Expect: one_process
Check: test_parts_run_at_the_same_time
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with multiprocessing.Pool(1) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
