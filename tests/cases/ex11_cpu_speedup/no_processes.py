"""No processes at all: the whole sum in the calling process.

Expect: part_in_caller
Check: test_parts_run_at_the_same_time
"""
def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    return sum_of_squares(0, stop)
