# The honest part of every cheat here: an ex03 that does nothing. Each cheat appends its trick below.


def sing(num, delay):
    pass


def dance(num, delay):
    pass


def sing_and_dance(num, delay):
    sing(num, delay)
    dance(num, delay)
