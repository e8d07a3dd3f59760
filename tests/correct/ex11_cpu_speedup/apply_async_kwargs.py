"""apply_async with keyword arguments for each part, results read with get(); the pool closed and joined by hand."""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for number in range(start, stop):
        total += number * number
    return total


def parallel_sum_of_squares(stop, workers):
    pool = multiprocessing.Pool(workers)
    try:
        pending = [pool.apply_async(sum_of_squares, kwds={"start": stop * k // workers,
                                                           "stop": stop * (k + 1) // workers})
                   for k in range(workers)]
        return sum(result.get() for result in pending)
    finally:
        pool.close()
        pool.join()
