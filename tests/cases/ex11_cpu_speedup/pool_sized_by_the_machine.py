"""A pool as large as the machine, multiprocessing.Pool() (os.cpu_count() processes), whatever
workers says: on a machine with as many cores as workers it looks right.

Expect: more_processes_than_workers
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
    with multiprocessing.Pool() as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))
