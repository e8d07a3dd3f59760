"""A process per part, but each is joined before the next one starts.

Expect: one_after_another
Check: test_parts_run_at_the_same_time
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _part(start, stop, results):
    results.put(sum_of_squares(start, stop))


def parallel_sum_of_squares(stop, workers):
    results = multiprocessing.Queue()
    bounds = [stop * k // workers for k in range(workers + 1)]
    total = 0
    for k in range(workers):
        process = multiprocessing.Process(target=_part, args=(bounds[k], bounds[k + 1], results))
        process.start()
        total += results.get()
        process.join()
    return total
