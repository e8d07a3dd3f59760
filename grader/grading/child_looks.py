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
    waits_begun: int = 0  # waits begun: calls of Popen.wait (join), sentinel waits seen
    timed_wait: tuple[frozenset[int], float] | None = None  # (pids, timeout) of the latest wait, if it had a timeout
    last_waited: frozenset[int] = frozenset()  # the pids of the latest wait, with a timeout or not
    timed_how: str = ""  # how the latest timed wait was made, as the learner wrote it: join(5), connection.wait(..., 5)
    _sentinel_wait: tuple[object, frozenset[int]] | None = None  # the latest sentinel wait seen, and for whom
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
                        looks._began(frozenset({popen.pid}), timeout, "join({:g})")
                    return _original(popen, timeout)

                cls.wait = wait
                self._patches.append((cls, "wait", original_wait))

    def saw_sentinel_wait(self, pids: set[int], timeout: object, identity: object) -> None:
        """Note a ``multiprocessing.connection.wait`` of the caller's own on the sentinels of ``pids``, seen on
        its stack; ``identity`` tells one call from the next (its deadline: a wait with no timeout has none)."""
        key = (identity, frozenset(pids))
        if key != self._sentinel_wait:
            self._sentinel_wait = key
            self._began(frozenset(pids), timeout, "multiprocessing.connection.wait(..., timeout={:g})")

    def _began(self, pids: frozenset[int], timeout: object, how: str) -> None:
        self.waits_begun += 1
        self.last_waited = pids
        timed = isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0
        self.timed_wait = (pids, float(timeout)) if timed and pids else None  # type: ignore[arg-type]
        if self.timed_wait is not None:
            self.timed_how = how.format(self.timed_wait[1])

    def unwatch(self) -> None:
        """Put multiprocessing's own methods back."""
        for cls, name, original in reversed(self._patches):
            setattr(cls, name, original)
        self._patches.clear()
