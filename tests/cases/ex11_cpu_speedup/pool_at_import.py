"""The pool is created when the module is imported, not inside the function.

Expect: import_started_processes
Check: test_sum_of_squares
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


pool = multiprocessing.Pool(2)


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
