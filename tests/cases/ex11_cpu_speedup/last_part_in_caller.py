"""The pool computes all parts but the last, which the calling process computes itself (its pool
keeps a core for the caller, one process at least: Pool(workers - 1) alone is case pool_one_short).

Expect: part_in_caller
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
    parts = list(zip(bounds, bounds[1:]))
    with multiprocessing.Pool(max(1, workers - 1)) as pool:
        total = sum(pool.starmap(sum_of_squares, parts[:-1]))
    return total + sum_of_squares(*parts[-1])
