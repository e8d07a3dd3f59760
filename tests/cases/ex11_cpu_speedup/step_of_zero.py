"""Parts made with range(0, stop, stop // workers): fine for big sizes, a step of 0 when stop < workers.

Expect: raised
Check: test_parallel_total_edge_cases
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    size = stop // workers
    parts = [(start, min(start + size, stop)) for start in range(0, stop, size)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, parts))
