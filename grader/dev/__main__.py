"""``python -m grader.dev COMMAND``: the maintainers' tools.

``check`` (does the kit agree with itself, in seconds), ``stress`` (grade the kit's own material
many times on a busy machine; count wrong grades), ``bench`` (where grading time goes).
"""

from __future__ import annotations

import importlib
import sys
from typing import Sequence

from grader.grading import cleanup

COMMANDS = {"check": "grader.dev.check", "stress": "grader.dev.stress", "bench": "grader.dev.bench",
            "mutate": "grader.dev.mutate"}


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m grader.dev {{{','.join(COMMANDS)}}} [options]  (-h after a command for its options)",
              file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    return importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    cleanup.stop_as_on_ctrl_c()  # SIGTERM (nox, CI) or a closed terminal stops a stress run as Ctrl-C does: the load too
    sys.exit(main(sys.argv[1:]))
