"""Pool.map with a helper that unpacks (start, stop) and calls sum_of_squares; parts by ceil division."""
import math
from multiprocessing import Pool


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total = total + i ** 2
    return total


def _part(bounds):
    start, stop = bounds
    return sum_of_squares(start, stop)


def parallel_sum_of_squares(stop, workers):
    size = max(1, math.ceil(stop / workers))
    parts = [(start, min(start + size, stop)) for start in range(0, stop, size)]
    if not parts:
        return 0
    with Pool(processes=workers) as pool:
        return sum(pool.map(_part, parts))
