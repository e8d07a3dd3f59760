"""concurrent.futures.ThreadPoolExecutor instead of ProcessPoolExecutor.

Expect: parts_in_threads
Check: test_parts_run_at_the_same_time
"""
from concurrent.futures import ThreadPoolExecutor


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with ThreadPoolExecutor(max_workers=workers) as executor:
        return sum(executor.map(sum_of_squares, bounds[:-1], bounds[1:]))
