"""The grader of the multiprocessing exercise kit: ``python -m grader [PATH]``."""

__version__ = "0.1.0"
