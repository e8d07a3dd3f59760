"""Two pools of one process, used one after the other (once measured faster than one process).

Expect: one_after_another
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
    total = 0
    for start, end in zip(bounds, bounds[1:]):
        with multiprocessing.Pool(1) as pool:
            total += pool.apply(sum_of_squares, (start, end))
    return total
