"""sum_of_squares counts stop itself: range(start, stop + 1).

Expect: wrong_sum
Check: test_sum_of_squares
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop + 1):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))

