"""Two mutants of the solution that compute the same: the total returned from inside the with
block, and no close()/join() (leaving the block terminates the pool once starmap has every part)."""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    parts = list(zip(bounds[:-1], bounds[1:]))
    with multiprocessing.Pool(workers) as pool:
        total = sum(pool.starmap(sum_of_squares, parts))
        pool.close()
        return total
