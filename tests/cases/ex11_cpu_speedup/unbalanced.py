"""The first part gets one number, the last part all the others: one process does all the work.

Expect: unbalanced
Check: test_faster_than_one_process
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [min(k, stop) for k in range(workers)] + [stop]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
