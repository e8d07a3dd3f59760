"""parallel_sum_of_squares adds the squares up itself, in a loop of its own: no part, no process.

Expect: no_process
"""


def sum_of_squares(start, stop):
    total = 0
    for i in range(start, stop):
        total += i * i
    return total


def parallel_sum_of_squares(stop, workers):
    total = 0
    for i in range(stop):
        total += i * i
    return total
