"""A pool of twice as many processes as asked for.

Expect: more_processes_than_workers
Check: test_parts_run_at_the_same_time
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    count = 2 * workers
    bounds = [stop * k // count for k in range(count + 1)]
    with multiprocessing.Pool(count) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
