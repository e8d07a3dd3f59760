"""The layouts of LMS exports, recognised from names alone: which learner each entry of an export belongs to.

Each layout as its LMS (or the tool that reads it) writes it:

- **Canvas** "Download Submissions" (instructure/canvas-lms ``lib/content_zipper.rb``): flat files
  ``<name>_<userid>_<attachmentid>_<original name>``, ``LATE`` after the name when late,
  ``anon_<id>`` for the name and id when graded anonymously, ``<name>_<userid>_text.html`` for a text
  entry; a re-upload Canvas renamed ``ex01_create_process-1.py`` counts as ``ex01_create_process.py``.
- **Moodle** "Download all submissions" (``mod/assign``): a folder per learner and plugin,
  ``<full name>_<id>_assignsubmission_file_/``, or flat files ``<full name>_<id>_assignsubmission_file_<name>``
  when "download as folders" is off; ``assignsubmission_onlinetext`` and ``assignfeedback_*`` fold
  into that learner and are not graded.
- **Blackboard** "Assignment File Download" (as nbgrader's ZipCollectApp documents it):
  ``<assignment>_<username>_attempt_<date>_<original name>`` and a receipt
  ``<assignment>_<username>_attempt_<date>.txt``; the latest attempt counts.
- **GitHub Classroom** (``gh classroom clone student-repos``): ``<assignment>-submissions/`` holding
  one cloned repository per learner, ``<assignment>-<username>/``.
- Anything else: each folder, or ``.zip``, is one learner named by its file name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from grader import catalogue
from grader.teacher.archives import is_junk

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


def module_names() -> set[str]:
    return {e.filename for e in catalogue.EXERCISES}


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
    disambiguate(learners)
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


def disambiguate(learners: list[Learner]) -> None:
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
