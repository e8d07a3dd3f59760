"""A Process subclass whose run() computes its part and puts it on a shared Queue."""
import multiprocessing


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


class Part(multiprocessing.Process):
    def __init__(self, start, stop, results):
        super().__init__()
        self.bounds = (start, stop)
        self.results = results

    def run(self):
        self.results.put(sum_of_squares(*self.bounds))


def parallel_sum_of_squares(stop, workers):
    results = multiprocessing.SimpleQueue()
    parts = [Part(stop * k // workers, stop * (k + 1) // workers, results) for k in range(workers)]
    for part in parts:
        part.start()
    total = sum(results.get() for _ in parts)
    for part in parts:
        part.join()
    return total
