"""One Process per part; each adds its sum to a shared Value under its lock."""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def _add_part(total, start, stop):
    part = sum_of_squares(start, stop)
    with total.get_lock():
        total.value += part


def parallel_sum_of_squares(stop, workers):
    total = multiprocessing.Value("q", 0)
    size, extra = divmod(stop, workers)
    processes, start = [], 0
    for k in range(workers):
        end = start + size + (1 if k < extra else 0)
        processes.append(multiprocessing.Process(target=_add_part, args=(total, start, end)))
        start = end
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return total.value
