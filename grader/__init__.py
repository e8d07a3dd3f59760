"""The grader of the multiprocessing exercise kit: ``python -m grader [PATH]``."""

from pathlib import Path

__version__ = "0.1.0"

# The folder that holds the ``grader`` package: a grader or program started anywhere imports this one.
KIT_ROOT = Path(__file__).resolve().parent.parent
