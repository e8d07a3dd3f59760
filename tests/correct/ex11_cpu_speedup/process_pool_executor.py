"""A ProcessPoolExecutor and map over two lists of bounds; the last part takes the remainder."""
from concurrent.futures import ProcessPoolExecutor


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    size = stop // workers
    starts = [k * size for k in range(workers)]
    stops = starts[1:] + [stop]
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return sum(executor.map(sum_of_squares, starts, stops))
