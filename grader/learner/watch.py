"""Watch mode: grade the exercises, then each one again whenever its file is saved, until q or Ctrl-C.

Each grade runs as ``python -m grader PATH --only ... --record FILE`` in a process of its own
(started ahead, see :data:`SPARE`), so the watcher stays free to see keys and saves while it runs:
a file saved again during its grade (a hung one too) stops that grade, which takes its worker and
the learner's processes with it, and starts over. The record the grade writes after each exercise
is read as it grows.

At a terminal the screen is redrawn (:mod:`grader.learner.screen`); elsewhere a plain log is printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

from grader import KIT_ROOT, catalogue
from grader.grading import cleanup
from grader.learner import hints
from grader.learner.screen import Board
from grader.messages import word
from grader.results import ExerciseResult, GradeRun, read_run

POLL = 0.2  # seconds between looks at the files and the running grade; also how long a keypress may wait
STOP_WAIT = 30.0  # seconds a stopped grade has to clean up before it is killed

Snapshot = dict[str, tuple[float, int]]
KeyReader = Callable[[float], str]


def snapshot(folder: Path, exercises: Sequence[catalogue.Exercise] = catalogue.EXERCISES) -> Snapshot:
    """Modification time and size of the module of each of ``exercises`` that is in ``folder``."""
    seen = {}
    for exercise in exercises:
        try:
            stat = (folder / exercise.filename).stat()
        except OSError:
            continue
        seen[exercise.module] = (stat.st_mtime, stat.st_size)
    return seen


def changed(before: Snapshot, after: Snapshot) -> list[catalogue.Exercise]:
    """The exercises whose file appeared or changed, in catalogue order."""
    return [e for e in catalogue.EXERCISES if e.module in after and before.get(e.module) != after[e.module]]


@contextlib.contextmanager
def keys() -> Iterator[KeyReader]:
    """A function that waits up to ``timeout`` seconds for keys and returns those pressed ("" for none).

    Without a terminal on stdin no key can be pressed: it only waits (Ctrl-C still stops).
    """
    if not sys.stdin.isatty():
        yield _sleep
    elif os.name == "nt":
        yield _windows_keys
    else:
        with _cbreak(sys.stdin.fileno()) as pressed:
            yield pressed


@contextlib.contextmanager
def _cbreak(fd: int) -> Iterator[KeyReader]:
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)  # keys arrive one by one, unechoed; Ctrl-C still interrupts
    try:
        def pressed(timeout: float) -> str:
            ready, _, _ = select.select([fd], [], [], timeout)
            return os.read(fd, 32).decode("utf-8", errors="replace") if ready else ""

        yield pressed
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _windows_keys(timeout: float) -> str:
    import msvcrt  # a Windows console has no select() on stdin: its keyboard buffer is asked instead

    deadline = time.monotonic() + timeout
    while True:
        typed = ""
        while msvcrt.kbhit():  # type: ignore[attr-defined]
            typed += msvcrt.getwch()  # type: ignore[attr-defined]
        if typed or time.monotonic() >= deadline:
            return typed
        time.sleep(0.02)


def _sleep(timeout: float) -> str:
    time.sleep(timeout)
    return ""


class View(Protocol):
    """How watch mode shows what happens: a redrawn screen or a plain log."""

    def grading(self, board: Board, exercises: list[catalogue.Exercise], saved: bool, seed: int) -> None: ...
    def graded(self, board: Board, result: ExerciseResult) -> None: ...
    def finished(self, board: Board, run: GradeRun) -> None: ...
    def show(self, board: Board) -> None: ...


# A grader started ahead of time: Python started and the grader imported (over a second on a busy
# machine), it waits for the arguments of one grade on stdin, then runs as `python -m grader ARGS` does.
SPARE = """
import json, sys
from grader.cli import main
from grader.grading import cleanup
cleanup.stop_as_on_ctrl_c()
line = sys.stdin.readline()
sys.exit(main(json.loads(line)) if line else 0)
"""


class Spare:
    """A grader process waiting for the arguments of a grade, so that a save is graded at once."""

    def __init__(self, scratch: Path) -> None:
        self.errors = scratch / f"grade-{time.monotonic_ns()}.err"
        # The kit on the path wherever the watcher was started from (a grade with --record never counts for hints).
        path = os.pathsep.join(p for p in (str(KIT_ROOT), os.environ.get("PYTHONPATH", "")) if p)
        with open(self.errors, "wb") as errors:
            self.process = subprocess.Popen([sys.executable, "-c", SPARE], stdin=subprocess.PIPE,
                                            stdout=subprocess.DEVNULL, stderr=errors,
                                            env={**os.environ, "PYTHONPATH": path})

    def begin(self, args: list[str]) -> subprocess.Popen[bytes]:
        """Start grading with ``args`` (those of ``python -m grader``); the process that grades."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(args).encode() + b"\n")
            self.process.stdin.close()  # the learner's code reads an empty stdin, as under DEVNULL
        except OSError:  # it died waiting (killed from outside): its stderr says why
            pass
        return self.process

    def close(self) -> None:
        """End the spare unused (it sees the end of its stdin and exits)."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Grade:
    """One grade of some exercises, running as a process of its own that records its results in a file."""

    def __init__(self, spare: Spare, arguments: list[str], exercises: list[catalogue.Exercise], seed: int,
                 scratch: Path) -> None:
        self.exercises, self.seed = exercises, seed
        self.record = scratch / f"grade-{time.monotonic_ns()}.json"
        self.errors = spare.errors
        only = [arg for e in exercises for arg in ("--only", e.id)]
        self.process = spare.begin([*arguments, *only, "--seed", str(seed), "--record", str(self.record)])

    def results(self) -> dict[str, ExerciseResult]:
        """The exercises graded so far, by id (those still waiting are left out)."""
        try:
            run = read_run(self.record)
        except (OSError, ValueError):
            return {}
        return {r.exercise.id: r for r in run.exercises
                if not any(c.key == "grading_interrupted" for c in r.checks)}

    def done(self) -> bool:
        return self.process.poll() is not None

    def problem(self) -> str:
        """What the grade printed on stderr (a usage error), if it ended without a record."""
        try:
            return self.errors.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the grade as Ctrl-C would (it stops its worker and the learner's processes), and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Watcher:
    """Watch ``folder``'s ``exercises``: grade them all, then each saved one, showing everything on ``view``."""

    def __init__(self, folder: Path, exercises: Sequence[catalogue.Exercise], arguments: list[str],
                 view: View, seeds: Callable[[], int], lang: str, method: str) -> None:
        self.folder, self.arguments, self.view, self.seeds, self.lang = folder, arguments, view, seeds, lang
        self.method = method
        self.board = Board(list(exercises))
        self.running: Grade | None = None
        self.spare: Spare | None = None
        self.shown: set[str] = set()  # exercises of the running grade already shown

    def run(self, read_keys: KeyReader, scratch: Path) -> None:
        """Until q (or Ctrl-C, which raises): grade, look at keys and files, grade again what was saved."""
        graded = last = snapshot(self.folder, self.board.exercises)
        self.start(list(self.board.exercises), saved=False, scratch=scratch)
        try:
            while True:
                pressed = read_keys(POLL)
                if "q" in pressed.lower():
                    return
                if "h" in pressed.lower():
                    self.hint()
                self.follow()
                now = snapshot(self.folder, self.board.exercises)
                if now != last:  # caught mid-write: graded once it stays the same for one look
                    last = now
                    continue
                saved = changed(graded, now)
                graded = now
                if saved:
                    self.saved(saved, scratch)
        finally:
            if self.running is not None:
                self.running.stop()
            if self.spare is not None:
                self.spare.close()

    def start(self, exercises: list[catalogue.Exercise], saved: bool, scratch: Path) -> None:
        seed = self.seeds()
        self.running = Grade(self.spare or Spare(scratch), self.arguments, exercises, seed, scratch)
        self.spare = Spare(scratch)  # ready for the next save
        self.shown = set()
        self.board.grading = {e.id for e in exercises}
        self.view.grading(self.board, exercises, saved, seed)

    def saved(self, exercises: list[catalogue.Exercise], scratch: Path) -> None:
        """Grade the saved exercises; a grade running is stopped and what it had left is graded with them."""
        left: list[catalogue.Exercise] = []
        if self.running is not None and not self.running.done():
            self.running.stop()
            self.collect()
            again = [e.filename for e in exercises if e.id in self.board.grading]
            if again:
                self.board.message = word(self.lang, "watch_regrading", file=", ".join(again))
            left = [e for e in self.running.exercises if e.id in self.board.grading and e not in exercises]
        wanted = [e for e in catalogue.EXERCISES if e in exercises or e in left]
        if self.board.current not in exercises:
            self.board.current = exercises[0]  # the one the learner is working on
        self.start(wanted, saved=True, scratch=scratch)

    def collect(self) -> None:
        """Show each exercise the running grade has finished since the last look."""
        assert self.running is not None
        for id_, result in self.running.results().items():
            if id_ in self.shown:
                continue
            self.shown.add(id_)
            self.board.grading.discard(id_)
            before = self.board.results.get(id_)
            self.board.results[id_] = result
            self.moved_on(result, before)
            self.view.graded(self.board, result)

    def moved_on(self, result: ExerciseResult, before: ExerciseResult | None) -> None:
        """Keep the current exercise the one to work on: when it passes, the next one that does not."""
        board = self.board
        if board.current is None:
            board.current = board.first_not_passed()
            return
        if board.current != result.exercise or not board.passes(result.exercise):
            return
        following = board.first_not_passed(after=result.exercise)
        if following is None:
            everything = set(board.exercises) == set(catalogue.EXERCISES)
            board.message = word(self.lang, "all_done" if everything else "all_graded_pass")
        elif before is not None:  # graded before: the learner has just solved it
            board.message = word(self.lang, "moved_on", done=result.exercise.id, id=following.id,
                                 title=following.title(self.lang))
        board.current = following

    def follow(self) -> None:
        """Take in what the running grade has done; when it has ended, note the results for hints."""
        if self.running is None:
            return
        finished = self.running.done()
        self.collect()
        if not finished:
            return
        grade, self.running = self.running, None
        self.board.grading, self.shown = set(), set()
        results = [self.board.results[e.id] for e in grade.exercises if e.id in grade.results()]
        if not results and grade.problem():
            self.board.message = grade.problem().splitlines()[-1]
        if results and hints.counted():
            hints.record(self.folder, results)
        every = [self.board.results[e.id] for e in self.board.exercises if e.id in self.board.results]
        self.view.finished(self.board, GradeRun(str(self.folder), self.method, grade.seed, every,
                                                sum(r.duration for r in results)))

    def hint(self) -> None:
        current = self.board.current
        if current is not None:
            self.board.message = hints.hint_text(self.folder, current, self.lang)
            self.view.show(self.board)


def watch(folder: Path, exercises: Sequence[catalogue.Exercise], arguments: list[str], view: View,
          seeds: Callable[[], int], lang: str, method: str) -> None:
    """Watch ``folder`` until q or Ctrl-C (which returns); a stop signal (SIGTERM, SIGHUP) is raised on.

    Whatever happens, the grade running is stopped first, so nothing of the learner's is left running.
    """
    watcher = Watcher(folder, exercises, arguments, view, seeds, lang, method)
    try:
        with keys() as read_keys, tempfile.TemporaryDirectory(prefix="mp-kit-watch-") as scratch:
            watcher.run(read_keys, Path(scratch))
    except cleanup.Terminated:
        raise  # stopped from outside (SIGTERM, a closed terminal): the command ends as killed
    except KeyboardInterrupt:
        pass
