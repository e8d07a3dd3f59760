"""The intake: from a folder of submissions (or one "download all" zip) to one staged folder per learner.

Layouts recognised, per entry of the folder (so one folder may mix them), each as its LMS writes it:

- **Canvas** "Download Submissions": flat files ``<name>_<userid>_<submissionid>_<original name>``, a
  late one ``<name>_late_<userid>_…``; a re-upload Canvas renamed ``ex01_create_process-1.py`` is
  graded as ``ex01_create_process.py`` (the highest number wins).
- **Moodle** "Download all submissions": a folder per learner and plugin,
  ``<full name>_<id>_assignsubmission_file_/`` (or, with "download as folders" off, flat files
  ``<full name>_<id>_assignsubmission_file_<original name>``); ``assignsubmission_onlinetext`` and
  ``assignfeedback_*`` are folded into that learner and left out of grading.
- **Blackboard** "Assignment File Download": ``<assignment>_<username>_attempt_<date>_<original name>``
  and a receipt ``<assignment>_<username>_attempt_<date>.txt``; the latest attempt is graded.
- **GitHub Classroom**: one cloned repository per learner, ``<assignment>-<username>/`` (a ``.git``
  inside), the modules in ``exercises/``; ``<assignment>`` is the common prefix, or the folder
  ``<assignment>-submissions`` that ``gh classroom clone student-repos`` makes.
- **Plain**: any other folder, or ``.zip``, is one submission named by its file name.
- A **whole export** as one zip (given as DIR, or lying in it) is unpacked and read as above.

Every zip (an export, a learner's upload) is unpacked with :func:`extract_zip`'s limits; a learner's
zips are unpacked once where they lie. Nothing in DIR is ever written to. A learner whose files were
found but cannot be graded is kept in :attr:`Intake.not_graded` (or gets a row saying why).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from grader import catalogue
from grader.teacher.archives import (
    MAX_EXPORT_BYTES,
    MAX_EXPORT_MEMBERS,
    Unreadable,
    brief_error,
    copy_folder,
    extract_zip,
    is_junk,
    safe_parts,
)
from grader.teacher.texts import note

# Moodle's mod/assign download: fullname (its "_" made spaces) "_" uniqueid "_" plugin subtype "_" type "_".
MOODLE = re.compile(r"^(?P<name>[^_]+)_(?P<id>\d+)_(?P<plugin>assign(?P<kind>submission|feedback)_[a-z0-9]+)"
                    r"(?:_(?P<file>.*))?$")
# Canvas's "Download Submissions" (lib/content_zipper.rb): the sortable name downcased and stripped of
# all but word characters, "LATE" when late, the user id (or "anon_<id>" when graded anonymously),
# then the file's attachment id and its display name; a text entry or a URL is one "_text.html" or
# "_link.html" page instead.
CANVAS = re.compile(r"^(?:(?P<name>[^_]+?)(?P<late>_late)?_(?P<id>\d+)|(?P<late_anon>late_)?(?P<anon>anon_[A-Za-z0-9]+))"
                    r"_(?:\d+_(?P<file>.+)|(?P<text>text|link)\.html)$", re.IGNORECASE)
# Blackboard's "Assignment File Download" (the form nbgrader's ZipCollectApp documents).
BLACKBOARD = re.compile(r"^(?P<assignment>.+)_(?P<id>[^_]+)_attempt_(?P<date>\d{4}(?:-\d\d){5})"
                        r"(?:_(?P<file>.+)|(?P<receipt>\.txt))$")
RENAMED_UPLOAD = re.compile(r"^(?P<stem>.+)-(?P<number>\d+)(?P<suffix>\.py)$")
RECEIPT_NAME = re.compile(r"^Name:\s*(?P<who>.+?)\s*$", re.MULTILINE)
KIT_FOLDERS = ("exercises", "solutions")


@dataclass
class Source:
    """One file or folder of DIR that belongs to a learner, and where it goes in their staged folder."""

    path: Path
    dest: str  # relative path in the staged folder; "" puts a folder's contents at its top
    rank: int = 0  # Canvas's renamed re-uploads: the higher number wins a clash
    plugin: str = ""  # Moodle's plugin (assignsubmission_file, assignsubmission_onlinetext, assignfeedback_…)
    attempt: str = ""  # Blackboard's attempt date
    receipt: bool = False  # Blackboard's receipt of the attempt


@dataclass
class Learner:
    """A learner as the intake found them: a name, the layout, their files in DIR, notes so far."""

    name: str
    layout: str
    key: str  # what identifies them in the LMS (id, username, folder)
    sources: list[Source] = field(default_factory=list)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # keys of NOTES, rendered when staged
    text_only: bool = False
    classroom: bool = False
    text_pages: list[Path] = field(default_factory=list)  # Canvas's text entry or URL: nothing to grade


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


def module_names() -> set[str]:
    return {e.filename for e in catalogue.EXERCISES}


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
# Recognising layouts (from names alone: unit-tested without grading)


def recognise(name: str, is_dir: bool) -> tuple[str, re.Match[str]] | None:
    """The LMS layout that an entry of the export folder named ``name`` belongs to, and its fields."""
    moodle = MOODLE.match(name)
    if moodle and (is_dir or moodle["file"]):
        return "Moodle", moodle
    if is_dir:
        return None
    blackboard = BLACKBOARD.match(name)
    if blackboard:
        return "Blackboard", blackboard
    canvas = CANVAS.match(name)
    if canvas:
        return "Canvas", canvas
    return None


def looks_like_export(names: Iterable[str], alone: bool) -> bool:
    """Whether a zip holding the member ``names`` is a whole class's export rather than one learner's files.

    It is when its top level (inside one wrapper folder, if any) is in an LMS layout or holds cloned
    repositories; or, when it is the only thing in DIR (``alone``), when it holds two or more folders
    or zips and no exercise module lies at its top.
    """
    paths = [[p for p in n.replace("\\", "/").split("/") if p] for n in names]
    paths = [p for p in paths if p and not is_junk(p[:1])]
    if paths and all(len(p) > 1 for p in paths) and len({p[0] for p in paths}) == 1:
        paths = [p[1:] for p in paths]
    tops: dict[str, bool] = {}
    for parts in paths:
        tops[parts[0]] = tops.get(parts[0], False) or len(parts) > 1
    if any(recognise(top, is_dir) for top, is_dir in tops.items()):
        return True
    if sum(1 for p in paths if len(p) > 2 and p[1] == ".git") and len(tops) > 1:
        return True
    if not alone or set(tops) & module_names():
        return False
    learners = [t for t, is_dir in tops.items() if (is_dir or t.lower().endswith(".zip")) and t not in KIT_FOLDERS]
    return len(learners) >= 2


def classroom_prefix(folder: Path, repositories: Sequence[str]) -> str:
    """The ``<assignment>-`` that starts every repository's name: from ``<assignment>-submissions/``, else their common prefix."""
    if folder.name.endswith("-submissions"):
        prefix = folder.name[: -len("submissions")]
        if all(r.startswith(prefix) and len(r) > len(prefix) for r in repositories):
            return prefix
    if len(repositories) < 2:
        return ""
    common = os.path.commonprefix(list(repositories))
    return common[: common.rfind("-") + 1] if "-" in common else ""


def find_learners(folder: Path) -> tuple[list[Learner], list[str], list[Path]]:
    """The learners in ``folder`` (sorted by name), the entries that are no submission, and the loose modules."""
    grouped: dict[tuple[str, str], Learner] = {}
    ignored: list[str] = []
    loose: list[Path] = []
    repositories: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or is_junk([entry.name]):
            continue
        is_dir = entry.is_dir()
        found = recognise(entry.name, is_dir)
        if found:
            _add_lms_entry(grouped, entry, *found)
        elif is_dir and (entry / ".git").exists():
            repositories.append(entry)
        elif is_dir:
            grouped[("folder", entry.name)] = Learner(entry.name, "folder", entry.name, [Source(entry, "")])
        elif entry.is_file() and entry.name.lower().endswith(".zip"):
            name = entry.name[:-4]
            grouped[("zip", entry.name)] = Learner(name, "zip", entry.name, [Source(entry, "")])
        elif entry.name in module_names():
            loose.append(entry)
        else:
            ignored.append(entry.name)
    prefix = classroom_prefix(folder, [r.name for r in repositories])
    for repo in repositories:
        learner = Learner(repo.name[len(prefix):], "GitHub Classroom", repo.name, [Source(repo, "")], classroom=True)
        if prefix:
            learner.notes.append(("repository_prefix", {"repo": repo.name}))
        grouped[("classroom", repo.name)] = learner
    learners = list(grouped.values())
    for learner in learners:
        if learner.layout == "Blackboard":
            _keep_latest_attempt(learner)
        _fold_moodle_plugins(learner)
        if learner.text_pages:
            learner.notes.append(("online_text_left_out", {}))
            learner.text_only = not learner.sources
    _disambiguate(learners)
    return sorted(learners, key=lambda learner: learner.name), ignored, loose


def _add_lms_entry(grouped: dict[tuple[str, str], Learner], entry: Path, layout: str, match: re.Match[str]) -> None:
    if layout == "Canvas":
        ident = match["id"] or match["anon"]
        learner = grouped.setdefault((layout, ident), Learner(match["name"] or match["anon"], layout, ident))
        if (match["late"] or match["late_anon"]) and ("late", {}) not in learner.notes:
            learner.notes.append(("late", {}))
        if match["text"]:
            learner.text_pages.append(entry)
        else:
            learner.sources.append(_canvas_source(entry, match["file"]))
        return
    key = (layout, match["id"].lower() if layout == "Blackboard" else match["id"])
    name = match["id"] if layout == "Blackboard" else match["name"]
    learner = grouped.setdefault(key, Learner(name, layout, match["id"]))
    if layout == "Moodle":
        learner.sources.append(Source(entry, match["file"] or "", plugin=match["plugin"]))
    else:
        learner.sources.append(Source(entry, match["file"] or "", attempt=match["date"], receipt=bool(match["receipt"])))


def _canvas_source(entry: Path, original: str) -> Source:
    renamed = RENAMED_UPLOAD.match(original)
    if renamed and renamed["stem"] + renamed["suffix"] in module_names():
        return Source(entry, renamed["stem"] + renamed["suffix"], rank=int(renamed["number"]))
    return Source(entry, original)


def _keep_latest_attempt(learner: Learner) -> None:
    attempts = sorted({s.attempt for s in learner.sources})
    latest = attempts[-1]
    if len(attempts) > 1:
        learner.notes.append(("older_attempts", {"taken": latest, "left": ", ".join(attempts[:-1])}))
    kept = [s for s in learner.sources if s.attempt == latest]
    for receipt in [s for s in kept if s.receipt]:
        who = _receipt_name(receipt.path)
        if who:
            learner.notes.append(("receipt_read", {"who": who}))
    learner.sources = [s for s in kept if not s.receipt]
    learner.text_only = not learner.sources  # a receipt alone: the attempt was text, or a comment


def _receipt_name(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return ""
    found = RECEIPT_NAME.search(text)
    return found["who"][:120] if found else ""


def _fold_moodle_plugins(learner: Learner) -> None:
    if learner.layout != "Moodle":
        return
    plugins = [s.plugin for s in learner.sources]
    files = [s for s in learner.sources if s.plugin == "assignsubmission_file"]
    feedback = sorted({p for p in plugins if p.startswith("assignfeedback_")})
    others = sorted({p for p in plugins if p.startswith("assignsubmission_") and p != "assignsubmission_file"})
    if others:
        learner.notes.append(("online_text_left_out", {}))
    if feedback:
        learner.notes.append(("feedback_left_out", {"names": ", ".join(feedback)}))
    learner.sources = files
    learner.text_only = not files


def _disambiguate(learners: list[Learner]) -> None:
    """Two learners of one name (two Canvas "chenjing"s, or alice/ beside alice.zip) keep apart in the gradebook."""
    counts: dict[str, int] = {}
    for learner in learners:
        counts[learner.name] = counts.get(learner.name, 0) + 1
    for learner in learners:
        if counts[learner.name] > 1:
            if learner.layout in ("folder", "zip", "GitHub Classroom"):
                learner.name = learner.key
            else:
                learner.notes.append(("named_with_id", {"id": learner.key}))
                learner.name = f"{learner.name} ({learner.key})"


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
    _disambiguate(learners)
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
    files = dest / (learner.name.replace("/", "_") or "submission")  # its name shows in the grader's command line
    files.mkdir(parents=True)
    problem: Unreadable | None = None
    try:
        _copy_sources(learner, files, notes, lang)
    except Unreadable as unreadable:
        return Submission(learner.name, learner.layout, files, None, notes, unreadable)
    for archive in sorted(p for p in files.rglob("*") if p.is_file() and p.name.lower().endswith(".zip")):
        shown = archive.relative_to(files).as_posix() if learner.layout not in ("zip",) else archive.name
        target = archive.with_name(archive.name[:-4] if not archive.with_name(archive.name[:-4]).exists()
                                   else archive.name + ".unpacked")
        try:
            skipped = extract_zip(archive, target)
            notes.append(note(lang, "unpacked", name=shown))
            if skipped:
                notes.append(note(lang, "skipped_members", count=len(skipped), names=", ".join(skipped[:3])))
        except Unreadable as unreadable:
            problem = problem or unreadable
            notes.append(note(lang, "unpack_failed", name=shown, reason=unreadable.key))
        archive.unlink()
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
