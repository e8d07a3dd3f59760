"""Results collected in a Manager list (the manager is a process of its own that computes nothing)."""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _part(results, start, stop):
    results.append(sum_of_squares(start, stop))


def parallel_sum_of_squares(stop, workers):
    with multiprocessing.Manager() as manager:
        results = manager.list()
        processes = [multiprocessing.Process(target=_part,
                                             args=(results, stop * k // workers, stop * (k + 1) // workers))
                     for k in range(workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        return sum(results)
