"""The intake: from a folder of submissions (or one "download all" zip) to one staged folder per learner.

:mod:`grader.teacher.layouts` says which learner each entry of the folder belongs to (Canvas,
Moodle, Blackboard, GitHub Classroom, plain folders and zips; one folder may mix them). A whole
export as one zip (given as DIR, or lying in it) is unpacked and read the same way. Each learner's
files are then copied into a scratch folder, the zips among them unpacked once where they lie
(:func:`grader.teacher.archives.extract_zip`'s limits), and the folder holding their exercise
modules found. Nothing in DIR is ever written to. A learner whose files were found but cannot be
graded is kept in :attr:`Intake.not_graded` (no row), or their submission says why (a row).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.teacher.archives import (
    MAX_EXPORT_BYTES,
    MAX_EXPORT_MEMBERS,
    MAX_ZIP_BYTES,
    Unreadable,
    brief_error,
    copy_folder,
    extract_zip,
    is_junk,
    safe_parts,
    size_text,
)
from grader.teacher.layouts import (
    Learner,
    Source,
    disambiguate,
    find_learners,
    looks_like_export,
    module_names,
    recognise,
)
from grader.teacher.texts import note, reason


@dataclass
class Submission:
    """One learner's files staged for grading: ``modules`` is the folder to grade (None: nothing to grade)."""

    name: str
    layout: str
    files: Path
    modules: Path | None
    notes: list[str]
    problem: Unreadable | None = None  # the files could not be had at all
    no_modules: str = ""  # the note saying no exercise module was found, when none was

    @property
    def gradable(self) -> bool:
        return self.problem is None and self.modules is not None


@dataclass
class Intake:
    """What DIR holds: the learners to grade, in name order, and what was found but cannot be graded."""

    submissions: list[Submission]
    not_graded: list[tuple[str, str]]  # (name, why) of learners that get no row
    ignored: list[str]  # entries that are no submission at all
    expanded: list[str]  # the whole-class export zips unpacked


def locate_modules(root: Path) -> list[Path]:
    """The folders under ``root`` holding exercise modules, best first: most modules, then shallowest."""
    names = module_names()
    found: dict[Path, int] = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not is_junk([d]))
        count = sum(1 for f in files if f in names)
        if count:
            found[Path(here)] = count
    return sorted(found, key=lambda p: (-found[p], len(p.relative_to(root).parts), str(p)))


# ---------------------------------------------------------------------------------------------
# Taking in a whole folder


def take_in(given: Path, scratch: Path, lang: str) -> Intake:
    """Read ``given`` (a folder, or one export zip) and stage each learner's files under ``scratch``."""
    expanded: list[str] = []
    folder = given
    if given.is_file():
        folder = scratch / "export"
        extract_zip(given, folder, MAX_EXPORT_BYTES, MAX_EXPORT_MEMBERS)
        expanded.append(given.name)
        folder = _unwrap(folder)
    learners, ignored, loose = find_learners(folder)
    whole = [one for one in learners if one.layout == "zip" and _is_export(one.sources[0].path, alone=len(learners) == 1)]
    for export in whole:
        target = scratch / f"export-{len(expanded)}"
        try:
            extract_zip(export.sources[0].path, target, MAX_EXPORT_BYTES, MAX_EXPORT_MEMBERS)
        except Unreadable:
            continue  # graded as the plain zip it then is, whose row says why
        learners.remove(export)
        expanded.append(export.sources[0].path.name)
        inner, inner_ignored, inner_loose = find_learners(_unwrap(target))
        learners += inner
        ignored += inner_ignored
        loose += inner_loose
    disambiguate(learners)
    not_graded = [(path.name, note(lang, "loose_module")) for path in loose]
    submissions = []
    for index, learner in enumerate(sorted(learners, key=lambda learner: learner.name)):
        if learner.text_only:
            not_graded.append((learner.name, note(lang, "only_text")))
            continue
        submissions.append(stage(learner, scratch / "learners" / str(index), lang))
    return Intake(submissions, not_graded, ignored, expanded)


def take_in_one(folder: Path, name: str, scratch: Path, lang: str) -> Submission:
    """Stage ``folder`` as one learner's files (Gradescope's upload): a zip in it is unpacked, as in a gradebook."""
    return stage(Learner(name, "folder", name, [Source(folder, "")]), scratch / "learners" / "0", lang)


def _is_export(archive: Path, alone: bool) -> bool:
    try:
        with zipfile.ZipFile(archive) as zipped:
            return looks_like_export(zipped.namelist(), alone)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _unwrap(folder: Path) -> Path:
    """An unpacked export, or the one folder it wraps (an export zipped with its folder around it).

    A single folder that is a learner's own (an LMS entry, a repository, a folder holding the
    modules) is not a wrapper.
    """
    entries = [e for e in folder.iterdir() if not e.name.startswith(".") and not is_junk([e.name])]
    if len(entries) != 1 or not entries[0].is_dir():
        return folder
    inner = entries[0]
    if recognise(inner.name, True) or (inner / ".git").exists() or any((inner / m).is_file() for m in module_names()):
        return folder
    return inner


# ---------------------------------------------------------------------------------------------
# Staging one learner


def stage(learner: Learner, dest: Path, lang: str) -> Submission:
    """Copy (or unpack) ``learner``'s files into ``dest``, unpack the zips among them, find the modules to grade."""
    notes = [note(lang, key, **values) for key, values in learner.notes]
    files = dest / folder_name(learner.name)  # the name shows in the grader's command line
    files.mkdir(parents=True)
    try:
        _copy_sources(learner, files, notes, lang)
    except Unreadable as unreadable:
        return Submission(learner.name, learner.layout, files, None, notes, unreadable)
    problem = _unpack_zips(files, learner.layout == "zip", notes, lang)
    folders = locate_modules(files)
    if learner.classroom and (files / "exercises") in folders:
        folders.remove(files / "exercises")
        folders.insert(0, files / "exercises")
    if not folders:
        if problem is not None and len(learner.sources) == 1:
            return Submission(learner.name, learner.layout, files, None, notes[:-1], problem)
        stray = sorted(p.name for p in files.rglob("*.py"))[:5]
        none_found = note(lang, "no_modules", files=f" ({', '.join(stray)})" if stray else "")
        return Submission(learner.name, learner.layout, files, None, [*notes, none_found], no_modules=none_found)
    target = folders[0]
    if target != files:
        notes.append(note(lang, "graded_subfolder", folder=Path(learner.name, target.relative_to(files)).as_posix()))
    if len(folders) > 1:
        listed = ", ".join(Path(learner.name, f.relative_to(files)).as_posix() for f in folders[:4])
        notes.append(note(lang, "several_folders", count=len(folders), folders=listed))
    return Submission(learner.name, learner.layout, files, target, notes)


def folder_name(name: str) -> str:
    """``name`` as a folder name on every system: no separators or characters Windows refuses, no trailing dot or space."""
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name).rstrip(" .") or "submission"


def _unpack_zips(files: Path, inside_zip: bool, notes: list[str], lang: str) -> Unreadable | None:
    """Unpack every zip among a learner's ``files`` where it lies, once, all of them within one zip's limit.

    Return why the first one that could not be unpacked could not (None when all could).
    """
    problem: Unreadable | None = None
    budget = MAX_ZIP_BYTES
    for archive in sorted(p for p in files.rglob("*") if p.is_file() and p.name.lower().endswith(".zip")):
        shown = archive.name if inside_zip else archive.relative_to(files).as_posix()
        stem = archive.with_name(archive.name[:-4])
        target = stem if not stem.exists() else archive.with_name(archive.name + ".unpacked")
        try:
            if budget <= 0:
                raise Unreadable("zip_unreadable", name=archive.name,
                                 error=f"a learner's zips may unpack to {size_text(MAX_ZIP_BYTES)} together")
            skipped = extract_zip(archive, target, max_bytes=budget)
            budget -= sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
            notes.append(note(lang, "unpacked", name=shown))
            if skipped:
                notes.append(note(lang, "skipped_members", count=len(skipped), names=", ".join(skipped[:3])))
        except Unreadable as unreadable:
            shutil.rmtree(target, ignore_errors=True)  # half a zip is never what gets graded
            problem = problem or unreadable
            notes.append(note(lang, "unpack_failed", name=shown, reason=reason(lang, unreadable.key, **unreadable.values)))
        archive.unlink()
    return problem


def _copy_sources(learner: Learner, files: Path, notes: list[str], lang: str) -> None:
    """Put every source of ``learner`` in ``files``; a clash of Canvas re-uploads keeps the highest number."""
    chosen: dict[str, Source] = {}
    for source in learner.sources:
        if source.dest:
            held = chosen.get(source.dest)
            if held is None or source.rank > held.rank:
                chosen[source.dest] = source
    for source in learner.sources:
        if source.dest and chosen[source.dest] is not source:
            taken = chosen[source.dest]
            notes.append(note(lang, "renamed_upload", taken=taken.path.name, module=source.dest, left=source.path.name))
    if learner.layout not in ("folder", "zip", "GitHub Classroom"):
        shown = list(dict.fromkeys(s.dest or s.path.name for s in learner.sources))
        notes.insert(0, note(lang, "layout", layout=learner.layout, count=len(shown), names=", ".join(shown[:4])
                             + (", …" if len(shown) > 4 else "")))
    for source in learner.sources:
        if source.dest and chosen[source.dest] is not source:
            continue
        target = files / source.dest if source.dest else files
        if source.path.is_dir():
            copy_folder(source.path, target)
        elif learner.layout == "zip":
            skipped = extract_zip(source.path, target)
            if skipped:
                notes.append(note(lang, "skipped_members", count=len(skipped), names=", ".join(skipped[:3])))
        else:
            parts = safe_parts(source.dest)
            if not parts:
                continue
            target = files.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(source.path, target)
            except OSError as problem:
                raise Unreadable("folder_unreadable", name=source.path.name, error=brief_error(problem)) from None
