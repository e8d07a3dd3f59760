"""What the calling thread asks of its children: polls (``is_alive()``, ``exitcode``) and waits (``join()``).

The gatekeeper lets a held child through from what the caller does; the stack tells it where the
caller is blocked, these notes what the caller looked at since and whether its wait has a timeout.
They are taken by wrapping ``Popen.poll`` and ``Popen.wait`` of :mod:`multiprocessing`'s start
methods for as long as the gatekeeper watches.
"""

from __future__ import annotations

import importlib
import multiprocessing.process
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

_POPEN_MODULES = ("multiprocessing.popen_fork", "multiprocessing.popen_forkserver",
                  "multiprocessing.popen_spawn_posix", "multiprocessing.popen_spawn_win32")


def _reaping_before_a_start(frame: Any) -> bool:
    """Whether a poll comes from ``Process.start()`` reaping ended children: that is no look of the caller's."""
    outer = frame.f_back
    return (frame.f_code.co_name == "_cleanup" and outer is not None and outer.f_code.co_name == "start"
            and outer.f_code.co_filename == multiprocessing.process.__file__)


@dataclass
class ChildLooks:
    """The looks at its children of the thread that called :meth:`watch`, until :meth:`unwatch`."""

    polled: set[int] = field(default_factory=set)  # children polled (the gatekeeper clears it as it lets one go)
    waits_begun: int = 0  # calls of Popen.wait (join) made
    timed_wait: tuple[int, float] | None = None  # (pid, timeout) of the latest wait, if it had a timeout
    last_waited: int | None = None  # the pid of the latest wait, with a timeout or not
    _caller: int = 0
    _patches: list[tuple[type, str, Any]] = field(default_factory=list)

    def watch(self) -> None:
        """Start noting the looks of the calling thread."""
        self._caller = threading.get_ident()
        looks = self
        for name in _POPEN_MODULES:
            try:
                cls = importlib.import_module(name).Popen
            except ImportError:
                continue
            original_poll, original_wait = cls.__dict__.get("poll"), cls.__dict__.get("wait")
            if original_poll is not None:
                def poll(popen: Any, *args: Any, _original: Any = original_poll, **kwargs: Any) -> Any:
                    if (threading.get_ident() == looks._caller and isinstance(getattr(popen, "pid", None), int)
                            and not _reaping_before_a_start(sys._getframe(1))):
                        looks.polled.add(popen.pid)
                    return _original(popen, *args, **kwargs)

                cls.poll = poll
                self._patches.append((cls, "poll", original_poll))
            if original_wait is not None:
                def wait(popen: Any, timeout: float | None = None, _original: Any = original_wait) -> Any:
                    if threading.get_ident() == looks._caller and isinstance(getattr(popen, "pid", None), int):
                        looks.waits_begun += 1
                        looks.last_waited = popen.pid
                        timed = isinstance(timeout, (int, float)) and timeout > 0
                        looks.timed_wait = (popen.pid, float(timeout)) if timed else None  # type: ignore[arg-type]
                    return _original(popen, timeout)

                cls.wait = wait
                self._patches.append((cls, "wait", original_wait))

    def unwatch(self) -> None:
        """Put multiprocessing's own methods back."""
        for cls, name, original in reversed(self._patches):
            setattr(cls, name, original)
        self._patches.clear()
