"""Every process computes the whole range and the first answer is kept: no work is shared.

Expect: parts_do_not_cover
Check: test_parts_run_at_the_same_time
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    with multiprocessing.Pool(workers) as pool:
        return pool.starmap(sum_of_squares, [(0, stop)] * workers)[0]
