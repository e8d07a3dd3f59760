"""Tasks the grader hands to the learner's code, to run in the processes it starts.

Module-level functions, so that ``spawn`` and ``forkserver`` children can import them; the
grader wraps each in a :class:`~grader.inside.probes.Probe`, which records how and where it ran.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # a gate arrives pickled and imports its own module: a child that has none never needs it
    from grader.inside.gates import Gate


def _in_child() -> bool:
    return multiprocessing.parent_process() is not None


def do_nothing(*args: object, **kwargs: object) -> None:
    """Accept any arguments and do nothing: the probe records what arrived."""


@contextlib.contextmanager
def _held(gate: Gate | None) -> Iterator[None]:
    """In a child, wait at the grader's ``gate`` (when given) until the grader lets this call through;
    say when the call's work is done, however it ends (sys.exit, an exception)."""
    if gate is None or not _in_child():
        yield
        return
    token = gate.pass_through()
    try:
        yield
    finally:
        gate.leave(token)


def exit_with(code: int, delay: float = 0.0, gate: Gate | None = None) -> None:
    """Wait at ``gate``, sleep ``delay``, then end the process with exit code ``code`` (only in a child process)."""
    with _held(gate):
        time.sleep(delay)
        if _in_child():
            sys.exit(code)


def killed_by(signum: int, delay: float = 0.0, gate: Gate | None = None) -> None:
    """Wait at ``gate``, sleep ``delay``, return; then, in a child process, die of signal ``signum`` (exit code
    ``-signum`` in its parent; on Windows, which has no signals, only SIGTERM's -15, as :func:`die_by_a_signal`).

    The signal is sent by one of multiprocessing's exit finalizers, after this call has returned: its probe has
    recorded the call's end by then, as for any task, and the process still ends by the signal, not by exiting.
    """
    with _held(gate):
        time.sleep(delay)
    if _in_child():
        import multiprocessing.util

        multiprocessing.util.Finalize(None, _die_of, args=(signum,), exitpriority=0)


def _die_of(signum: int) -> None:
    if os.name == "nt":
        os._exit(_WINDOWS_TERMINATED)
    os.kill(os.getpid(), signum)


def fail() -> None:
    """Raise in the child, so that its exit code is 1 (only in a child process)."""
    if _in_child():
        raise RuntimeError("this task fails on purpose")


def pause(delay: float = 0.0, gate: Gate | None = None) -> None:
    """Wait at ``gate``, sleep ``delay``, then return normally (exit code 0 in a child process)."""
    with _held(gate):
        time.sleep(delay)


def fail_after(delay: float = 0.0, gate: Gate | None = None) -> None:
    """Wait at ``gate``, sleep ``delay``, then raise in the child, so that its exit code is 1 (only in a child process).

    The sleep keeps the child running well past ``start()``, so code that reads ``exitcode``
    without ``join()`` reliably reads ``None``.
    """
    with _held(gate):
        time.sleep(delay)
        fail()


# Pool and executor code that runs a chunk of tasks in one call: a frame of theirs is one chunk.
_CHUNK_RUNNERS = ("mapstar", "starmapstar", "_process_chunk")
_free_chunks: list[object] = []  # the chunks (frames, held so their ids stay theirs) whose calls go ungated


def _mentions(name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> bool:
    """Whether a path among the arguments (or in a tuple or list of them: a job) names the file ``name``."""
    given = [*args, *kwargs.values()]
    given += [item for a in given if isinstance(a, (tuple, list)) for item in a]
    paths = [os.fsdecode(a) for a in given if isinstance(a, (str, bytes, os.PathLike))]
    return any(p == name or os.path.basename(p) == name for p in paths)


def _chunk() -> object | None:
    """The frame of the pool code running the chunk this call is part of, if it is part of one."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name in _CHUNK_RUNNERS:
            return frame
        frame = frame.f_back
    return None


def _gate_for(gate: Gate | None, free_for: str | None, args: tuple[object, ...],
              kwargs: dict[str, object]) -> Gate | None:
    """``gate``, but none for a call about ``free_for`` and for the calls after it in the same chunk
    (its failure reaches the caller only with the rest of its chunk)."""
    if gate is None or free_for is None:
        return gate
    chunk = _chunk()
    if _mentions(free_for, args, kwargs):
        if chunk is not None:
            _free_chunks.append(chunk)
        return None
    return None if chunk is not None and any(c is chunk for c in _free_chunks) else gate


# What a process that ends with this code reads as in its parent on Windows: terminated (-SIGTERM).
_WINDOWS_TERMINATED = 0x10000


def die_by_a_signal() -> None:
    """End this process as a signal does, without cleaning up: exit code -SIGKILL in its parent.

    Windows has no signals: there multiprocessing reads a process ended with the code its own
    ``terminate()`` uses as terminated by SIGTERM (exit code -15), the one negative code it has.
    """
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(_WINDOWS_TERMINATED)


def _names(name: str | None, args: tuple[object, ...], kwargs: dict[str, object]) -> bool:
    given = [os.fsdecode(a) if isinstance(a, (str, bytes, os.PathLike)) else a for a in (*args, *kwargs.values())]
    return name is not None and name in given


# Where a call that goes straight past the gate says that it began (the failure gate reads it).
FREE = "free"


def _say_free_call_began(gate: Gate) -> None:
    folder = os.path.join(gate.folder, FREE)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{os.getpid()}-{os.urandom(4).hex()}"), "w"):
        pass


def learner_function_as_told(*args: object, grader_function: tuple[str, str], grader_delay: float = 0.0,
                             grader_fail_for: str | None = None, grader_gate: Gate | None = None,
                             grader_free_for: str | None = None, grader_kill_for: str | None = None,
                             **kwargs: object) -> object:
    """Call the learner's own function ``grader_function`` = (module, name) with the arguments given.

    The grader puts this (in a probe, with the ``grader_*`` settings bound) in place of a function
    of the learner's. In a child process the call first sleeps ``grader_delay``, so that it
    outlasts the start of processes; called with ``grader_fail_for`` among its arguments it raises
    instead, like a copy that fails (the learner's code must notice). With ``grader_gate``, a call
    in a child first waits there until the grader lets it through, but a call with
    ``grader_free_for`` (a file name) among its arguments, and the rest of its chunk, go straight on.
    A call in a child with ``grader_kill_for`` among its arguments dies by a signal before it copies.
    """
    from grader.inside.probes import original_function  # imported already wherever a probe was rebuilt

    gate = _gate_for(grader_gate, grader_free_for, args, kwargs)
    if grader_gate is not None and gate is None and _in_child():
        _say_free_call_began(grader_gate)
    with _held(gate):
        if _in_child():
            time.sleep(grader_delay)
        if _names(grader_fail_for, args, kwargs):
            raise OSError(f"the grader made this call fail on purpose: {grader_fail_for}")
        if _in_child() and _names(grader_kill_for, args, kwargs):
            die_by_a_signal()
        module, name = grader_function
        return original_function(module, name)(*args, **kwargs)

