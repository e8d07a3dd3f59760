"""An explicit spawn context whatever the platform's default, Pool.starmap over contiguous chunks."""
import multiprocessing


def sum_of_squares(start, stop):
    return sum(i * i for i in range(start, stop))


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    chunks = list(zip(bounds[:-1], bounds[1:]))
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, chunks))
