"""The command line: ``python -m grader [PATH] [options]``, and the commands ``hint``, ``watch`` and ``gradebook``.

Exit status: 0 every exercise graded passes, 1 some fail, 2 the command could not grade, 130 Ctrl-C
(143 SIGTERM, 129 SIGHUP: each stops the grader as Ctrl-C does, leaving no process behind).
The gradebook (a folder of submissions) lives in :mod:`grader.teacher.gradebook`; this module only hands it over.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from grader.grading import cleanup, runner, sandbox
from grader.learner import hints, screen, watch, watch_log
from grader.options import HELP_LANG, UsageError, add_selection_options, exercise_named, select
from grader.reports import console, gradescope, junit, terminal, version3

from . import catalogue
from .messages import default_lang, word
from .results import GradeRun, write_run

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

HELP_CLASSROOM = ("write version-3 test-runner results (the format of exercism, read by GitHub Classroom's "
                  "autograding-grading-reporter)")
HELP_RECORD = ("write the grader's own record of the run (JSON, every message in every language), "
               "which the gradebook, Gradescope's run_autograder and the stress tool read")
HELP_PATH = "the folder with the exNN_*.py modules (default: exercises)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade the multiprocessing exercises in a folder and print the scoreboard.",
        epilog="Also: python -m grader hint [EX] [PATH] | watch [PATH] [options] | gradebook DIR [options] (each with --help).",
    )
    add_grading_options(parser)
    parser.add_argument("--json", metavar="FILE", type=Path, help="write a results.json (Gradescope autograder format)")
    parser.add_argument("--junit", metavar="FILE", type=Path, help="write JUnit XML")
    parser.add_argument("--classroom", metavar="FILE", type=Path, help=HELP_CLASSROOM)
    parser.add_argument("--record", metavar="FILE", type=Path, help=HELP_RECORD)
    parser.add_argument("--sandbox", action="store_true",
                        help="grade as for someone else's code: inside bubblewrap, with no network, the file system "
                             "read-only but the reports' folders, a private home and /tmp (Linux; elsewhere a note "
                             "says which protections held)")
    # Maintainers' only (the stress run judges a known mistake by its first failing check): not in --help,
    # since a learner is shown every failing check.
    parser.add_argument("--first-failure-only", action="store_true", help=argparse.SUPPRESS)
    return parser


def build_watch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader watch",
        description="Grade the exercises, then each one again whenever its file is saved, until q or Ctrl-C.",
    )
    add_grading_options(parser)
    return parser


def build_hint_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader hint",
        description="Show the hints for an exercise: the more often it failed in a row, the more hints.",
    )
    parser.add_argument("exercise", nargs="?",
                        help="the exercise: a number, ex03, or the module name (default: the one you are on)")
    parser.add_argument("path", nargs="?", default="exercises", help=HELP_PATH)
    parser.add_argument("--lang", choices=["en", "zh"], help=HELP_LANG)
    return parser


def add_grading_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that grades one folder: what, how, in which language."""
    parser.add_argument("path", nargs="?", default="exercises", help=HELP_PATH)
    add_selection_options(parser)


def names_exercise(name: str) -> bool:
    """Whether ``name`` is an exercise's name (as learners type them)."""
    try:
        catalogue.find(name)
    except catalogue.UnknownExercise:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a console that is not UTF-8 gets plain stand-ins, never a crash
        terminal.tolerate_encoding(stream)
    args = list(sys.argv[1:] if argv is None else argv)
    # A learner's folder named like a command is graded as ./gradebook, ./hint or ./watch.
    if args[:1] == ["gradebook"]:
        from grader.teacher import gradebook

        return gradebook.main(args[1:])
    if args[:1] == ["hint"]:
        parser, command, args = build_hint_parser(), hint_command, args[1:]
    elif args[:1] == ["watch"]:
        parser, command, args = build_watch_parser(), watch_command, args[1:]
    else:
        parser, command = build_parser(), grade_command
    options = parser.parse_args(args)  # exits 2 on a bad option, as argparse does
    try:
        return command(options)
    except UsageError as problem:
        print(word(options.lang or default_lang(), "error", problem=problem), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as interruption:
        stop_workers()
        return cleanup.exit_status_of(interruption)


def stop_workers() -> None:
    """Kill whatever an interrupted grading left (its worker and the learner's processes), and reap it."""
    with cleanup.ignoring_interruptions():  # a second Ctrl-C must not cut this short
        cleanup.kill_tree()
        cleanup.reap_zombies()


def folder(path: str, lang: str) -> Path:
    """The submission folder ``path``, which must exist."""
    found = Path(path)
    if found.is_dir():
        return found
    try:
        exercise = catalogue.find(path)
    except catalogue.UnknownExercise:
        raise UsageError(word(lang, "not_a_folder", path=found)) from None
    # An exercise's name where the folder goes (nox -s grade -- ex04): what they meant is --only.
    submission = str(found.parent) if found.suffix == ".py" and str(found.parent) != "." else "exercises"
    raise UsageError(word(lang, "exercise_not_folder", path=found,
                          command=hints.grade_command(exercise, submission)))


def grade_command(options: argparse.Namespace) -> int:
    lang = options.lang or default_lang()
    path = folder(options.path, lang)
    if options.sandbox and not sandbox.inside():
        status = sandbox.run_inside(options)
        if status is not None:
            return status
    wanted = [(target, writer) for target, writer in ((options.json, gradescope.write_json),
                                                      (options.junit, junit.write_junit),
                                                      (options.classroom, version3.write_version3),
                                                      (options.record, lambda run, path, _: write_run(run, path))) if target]
    run = grade_and_show(path, select(options.only, lang), options, lang, focus=bool(options.only), wanted=wanted)
    return EXIT_PASSED if run.all_passed else EXIT_FAILED


def grade_and_show(path: Path, exercises: list[catalogue.Exercise], options: argparse.Namespace, lang: str,
                   focus: bool, wanted: Sequence[tuple[Path, Callable[[GradeRun, Path, str], None]]] = ()) -> GradeRun:
    """Grade ``exercises``, printing the scoreboard as it goes and writing the reports ``wanted``.

    A learner's run (not CI's, not one writing reports) is noted for hints (see :mod:`grader.learner.hints`).
    """
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1, 10**6)
    method = options.start_method or runner.default_start_method()
    # Every report is written before grading and again after each exercise, the exercises not graded
    # yet failed as "interrupted": a grader killed midway still leaves a whole report behind.
    pending = [runner.interrupted_result(e) for e in exercises] if wanted else []
    done: list[runner.ExerciseResult] = []
    began = time.monotonic()

    def write_reports(run: GradeRun) -> None:
        for target, writer in wanted:
            try:
                writer(run, target, lang)
            except OSError as problem:
                raise UsageError(word(lang, "cannot_write", path=target, problem=problem.strerror or problem)) from None

    write_reports(GradeRun(str(path), method, seed, pending, 0.0))
    out = sys.stdout
    colour = console.colour_wanted(out)
    out.write(word(lang, "grading", path=path, method=method, seed=seed) + "\n\n")
    out.flush()

    def show(result: runner.ExerciseResult) -> None:
        console.write_exercise(result, out, lang, colour, focus, terminal.width_of(out))
        out.flush()
        done.append(result)
        if wanted:
            write_reports(GradeRun(str(path), method, seed, done + pending[len(done):], time.monotonic() - began))

    run = runner.grade(path, exercises, method, seed, on_exercise=show, timeout=options.timeout,
                       first_failure_only=getattr(options, "first_failure_only", False))
    if hints.counted(reports=bool(wanted)):
        hints.record(path, run.exercises)
    console.write_summary(run, out, lang, terminal.width_of(out))
    out.flush()
    write_reports(run)
    return run


def hint_command(options: argparse.Namespace) -> int:
    """Print the hints for one exercise (by default the one the learner is on): first the hint for the check
    that failed last, then as many general hints as its failures in a row have earned."""
    lang = options.lang or default_lang()
    if options.exercise is not None and options.path == "exercises" and not names_exercise(options.exercise) \
            and Path(options.exercise).is_dir():
        options.exercise, options.path = None, options.exercise  # hint FOLDER: the current exercise of FOLDER
    path = Path(options.path)
    width = terminal.width_of(sys.stdout)
    if options.exercise is None:
        exercise = hints.current(path)
        if exercise is None:
            print(terminal.wrap(word(lang, "no_hint_needed"), width))
            return EXIT_PASSED
        print(terminal.wrap(word(lang, "hints_current", id=exercise.id), width))
    else:
        exercise = exercise_named(options.exercise, lang)
    print(terminal.wrap(hints.hint_text(path, exercise, lang), width))
    return EXIT_PASSED


def watch_command(options: argparse.Namespace) -> int:
    """Grade the exercises (all, or those of ``--only``), then each again whenever its file is saved."""
    lang = options.lang or default_lang()
    path = folder(options.path, lang)
    method = options.start_method or runner.default_start_method()
    out = sys.stdout
    if out.isatty():
        view: watch.View = screen.ScreenView(out, lang, console.colour_wanted(out))
    else:
        stop = word(lang, "stop_key" if sys.stdin.isatty() else "stop_ctrl_c")
        view = watch_log.LogView(out, str(path), method, lang, stop, focus=bool(options.only))
    arguments = [str(path), "--lang", lang, "--start-method", method, "--timeout", repr(options.timeout)]

    def seeds() -> int:
        return options.seed if options.seed is not None else random.SystemRandom().randrange(1, 10**6)

    watch.watch(path, select(options.only, lang), arguments, view, seeds, lang, method)  # returns on q or Ctrl-C
    stop_workers()
    print(word(lang, "stopped"), flush=True)
    return EXIT_PASSED
