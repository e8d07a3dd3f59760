"""Many more parts than workers (eight per worker), handed out by imap_unordered."""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _part(bounds):
    return sum_of_squares(*bounds)


def parallel_sum_of_squares(stop, workers):
    count = workers * 8
    bounds = [stop * k // count for k in range(count + 1)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.imap_unordered(_part, zip(bounds, bounds[1:])))
