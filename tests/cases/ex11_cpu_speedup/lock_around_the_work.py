"""Processes start together, but a shared Lock lets only one of them compute at a time.

Expect: one_after_another
Check: test_parts_run_at_the_same_time
"""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _part(lock, results, start, stop):
    with lock:
        results.put(sum_of_squares(start, stop))


def parallel_sum_of_squares(stop, workers):
    lock = multiprocessing.Lock()
    results = multiprocessing.Queue()
    bounds = [stop * k // workers for k in range(workers + 1)]
    processes = [multiprocessing.Process(target=_part, args=(lock, results, bounds[k], bounds[k + 1]))
                 for k in range(workers)]
    for process in processes:
        process.start()
    total = sum(results.get() for _ in processes)
    for process in processes:
        process.join()
    return total
