"""How the checks of ex09 have ``copy_folder`` played in the learner host, and read what its copies did.

The host plays it (:mod:`grader.inside.scenes.ex09_copy_folder`) with the learner's ``copy_file``
replaced by a probe, which shows each call to the witness. The checker takes from the witness which
processes copied which file (the kernel's pid and parent; the file is the probe's claim), and the
resident peak of each copy's process; from the host only what it alone can see: what copy_folder
returned or raised and when, the exit codes it read after the call, what its gatekeeper saw, and
the copy's own count of its memory (which can only add to the kernel's).
"""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from grader.grading.host_channel import Played, Scene, SeenCall

from ..messages import Mistake
from . import copy_data, expect_new_process, plain_errors


def _copy_file_contract(file_name: str, source_dir: str, dest_dir: str) -> None:
    """The parameters of copy_file, as the exercise fixes them (to read which file a call copied)."""


@dataclass
class FolderCopy:
    """How one call of copy_folder went, as the host played it: what it returned (described) or the mistake
    it raised, when, and the copy_file calls the witness saw."""

    played: Played
    result: dict[str, Any]  # kind, repr (and value, for an int), the host's description
    called: float
    returned: float
    raised: Mistake | None
    cause: dict[str, Any] | None  # the learner's own exception: classes, text, the chain's texts
    exit_codes: dict[int, int | None] = field(default_factory=dict)  # read by the host after the call
    calls: list[SeenCall] = field(default_factory=list)

    @property
    def caller(self) -> int:
        return self.played.caller

    @property
    def result_repr(self) -> str:
        return str(self.result.get("repr", "?"))[:80]

    def returned_count(self) -> int | None:
        """The number copy_folder returned (an int, not a bool), else None."""
        value = self.result.get("value")
        return value if self.result.get("kind") == "int" and isinstance(value, int) else None

    def raised_a(self, name: str) -> bool:
        """Whether the learner's own exception is a ``name`` (the class or a subclass of it)."""
        return self.cause is not None and name in self.cause.get("classes", [])

    def mentions(self, name: str) -> bool:
        """Whether the learner's error, or an exception it was raised from, mentions ``name``."""
        return self.cause is not None and any(name in str(text) for text in self.cause.get("chain", []))

    def error_text(self) -> str:
        return str(self.cause.get("text", "")) if self.cause is not None else ""


def play(scene: Scene, source: os.PathLike[str], dest: os.PathLike[str], **options: Any) -> FolderCopy:
    """Have the host call copy_folder(source, dest) once, with the scene's ``options``; a target that
    cannot travel to a child is told first, then the mistake the call made that ends the scene."""
    played = scene.play("copy", source=str(source), dest=str(dest), **options)
    seen = played.observation
    unportable = plain_errors.unportable(seen.get("targets", []))
    if unportable is not None:
        raise unportable
    exit_codes = {}
    for pair in seen.get("exit_codes", []):
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int):
            exit_codes[pair[0]] = pair[1] if isinstance(pair[1], int) and not isinstance(pair[1], bool) else None
    cause = seen.get("cause")
    return FolderCopy(played, dict(seen.get("result") or {}), float(seen.get("called", 0.0)),
                      float(seen.get("returned", seen.get("called", 0.0))), played.kept_mistake("failure"),
                      cause if isinstance(cause, dict) else None, exit_codes, played.calls("copy_file"))


def file_name(call: Any) -> str | None:
    """The file a copy_file call (a host's record or a call seen) was for, bound as the exercise fixes it."""
    try:
        bound = inspect.signature(_copy_file_contract).bind(*call.args, **call.kwargs)
    except TypeError:
        return None
    name = bound.arguments["file_name"]
    return name if isinstance(name, str) else None


def expect_names_not_paths(calls: list[SeenCall], files: Iterable[str]) -> None:
    """Fail on a copy_file call given a path to one of ``files`` instead of its name: a copy_file of
    the learner's may still copy it, but then no call was for the file's name, and saying so would
    be untrue."""
    names = set(files)
    for call in calls:
        got = file_name(call)
        if got is not None and got not in names and os.path.basename(got) in names:
            folder = os.path.basename(os.path.dirname(got))  # the folder it names, not the scratch path
            raise Mistake("file_name_is_a_path", got=os.path.join("…", folder, os.path.basename(got)),
                          name=os.path.basename(got))


def expect_copies_ran_cleanly(calls: list[SeenCall]) -> None:
    """Fail on the first copy_file call that raised in its process (the learner's own copy_file failed)."""
    for call in calls:
        if call.error is None:
            continue
        name = file_name(call) or "?"
        if call.error.get("type") == "NotImplementedError":
            raise Mistake("not_implemented", function="copy_file")
        if str(call.error.get("type", "")).startswith("Unicode"):
            raise Mistake("text_mode_failed", function="copy_file", name=name,
                          error=f"{call.error.get('type')}: {call.error.get('message')}")
        raise Mistake("child_failed", function="copy_file", error=call.error.get("type"),
                      message=call.error.get("message"))


def expect_no_error(outcome: FolderCopy) -> None:
    """Fail when copy_folder raised; first with the reason its copies show, when they ran outside a process,
    or, when its error names copies that did not fail, with the exit codes it read too early."""
    if outcome.raised is None:
        return
    for call in outcome.calls:
        expect_new_process(call, outcome.caller, "copy_file")  # type: ignore[arg-type]
    # Its error names copies as failed, yet every copy finished without an error and its process ended with
    # exit code 0 (the host's reading, after the call): it read exit codes that were still None, before
    # the processes had ended (no join, a join of some only, exit codes read before the join loop).
    error = outcome.error_text()
    named = {name for call in outcome.calls if (name := file_name(call)) is not None and name in error}
    if outcome.cause is not None and named and all(
            call.end is not None and call.error is None and outcome.exit_codes.get(call.pid) == 0
            for call in outcome.calls):
        raise Mistake("exit_codes_read_early", error=error[:300], named=len(named), total=len(outcome.calls))
    raise outcome.raised


def copy_held(outcome: FolderCopy, size: int) -> dict[str, Any] | None:
    """How much a child that ran copy_file held at once during its call (:func:`copy_data.copies_held`)."""
    return copy_data.copies_held(outcome.calls, outcome.caller, outcome.played.observation.get("growths"), size)
