"""The grader of the multiprocessing exercise kit: ``python -m grader [PATH]``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    KIT_ROOT: Path

__version__ = "0.1.0"

# The folder that holds the ``grader`` package: a grader or program started anywhere imports this one.
# Made on first use (PEP 562): every child of the learner's code imports this package, and none needs pathlib.
_KIT_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def __getattr__(name: str) -> Any:
    if name == "KIT_ROOT":
        from pathlib import Path

        return Path(_KIT_ROOT)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
