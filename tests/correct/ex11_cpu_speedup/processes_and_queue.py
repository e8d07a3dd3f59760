"""One Process per part, a helper target that puts each part's sum on a Queue."""
import multiprocessing


def sum_of_squares(start, stop):
    return sum(i * i for i in range(start, stop))


def _part(start, stop, results):
    results.put(sum_of_squares(start, stop))


def parallel_sum_of_squares(stop, workers):
    results = multiprocessing.Queue()
    bounds = [stop * k // workers for k in range(workers + 1)]
    processes = [multiprocessing.Process(target=_part, args=(bounds[k], bounds[k + 1], results))
                 for k in range(workers)]
    for process in processes:
        process.start()
    total = sum(results.get() for _ in processes)  # read before join: a full pipe would block the child
    for process in processes:
        process.join()
    return total
