"""sum_of_squares by the closed formula: right sums, but no work for processes to share.

Expect: no_loop
Check: test_faster_than_one_process
"""
import multiprocessing


def sum_of_squares(start, stop):
    def below(n):
        return (n - 1) * n * (2 * n - 1) // 6 if n > 0 else 0

    if start >= stop:
        return 0
    if start >= 0:
        return below(stop) - below(start)
    if stop <= 0:
        return below(-start + 1) - below(-stop + 1)
    return below(-start + 1) + below(stop)


def parallel_sum_of_squares(stop, workers):
    bounds = [stop * k // workers for k in range(workers + 1)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(sum_of_squares, zip(bounds, bounds[1:])))

