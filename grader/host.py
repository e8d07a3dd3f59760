"""What the operating system offers the grader, decided once; ``MP_KIT_AS_WINDOWS=1`` offers only what Windows does.

Most learners grade on Windows, where the grader cannot fork its workers, become a subreaper,
hold signals or read /proc; macOS lacks the last three. Those paths would otherwise run only on
machines the kit's maintainers do not test on. With ``MP_KIT_AS_WINDOWS=1`` (inherited by every
process of a grading) Linux takes them too: workers start as fresh interpreters, multiprocessing
offers spawn only, orphans are not re-parented to the grader, signals are not held, and nothing
reads what only Linux provides (process groups, pidfds).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys

AS_WINDOWS = os.environ.get("MP_KIT_AS_WINDOWS", "") == "1"

FORKS_WORKERS = hasattr(os, "fork") and not AS_WINDOWS
"""The worker of an exercise is a fork of the grader (else a fresh interpreter given the job as JSON)."""

CAN_SUBREAP = sys.platform.startswith("linux") and not AS_WINDOWS
"""prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants come back to the grader."""

CAN_HOLD_SIGNALS = hasattr(signal, "pthread_sigmask") and hasattr(signal, "sigtimedwait") and not AS_WINDOWS
"""Ctrl-C and the stop signals can be blocked and taken synchronously (Linux; not macOS or Windows)."""

HAS_PROCESS_GROUPS = hasattr(os, "setsid") and hasattr(os, "killpg") and not AS_WINDOWS
"""A worker can lead a session of its own, and the grader can kill that whole group at once."""

HAS_PIDFD = hasattr(os, "pidfd_open") and not AS_WINDOWS
"""A process's exit can be waited for through a file descriptor (Linux 5.3+)."""

REAPS_CHILDREN = hasattr(os, "WNOHANG") and not AS_WINDOWS
"""Ended children stay zombies until waited for (POSIX), so the grader collects them."""


def start_methods() -> list[str]:
    """The start methods multiprocessing offers here (spawn alone on Windows)."""
    return ["spawn"] if AS_WINDOWS else multiprocessing.get_all_start_methods()


def default_start_method() -> str:
    """The start method the learner's code gets when it does not choose (spawn on Windows and macOS)."""
    return "spawn" if AS_WINDOWS else multiprocessing.get_start_method(allow_none=False)

