"""The children compute with a loop of their own and never call sum_of_squares.

Expect: parts_not_seen
Check: test_parts_run_at_the_same_time
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _part(bounds):
    return sum(i * i for i in range(*bounds))


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.map(_part, zip(bounds, bounds[1:])))
