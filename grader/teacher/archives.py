"""Submissions' files and zips, taken safely: nothing lands outside its folder, junk stays out, sizes are bounded.

A zip that is not one (a RAR renamed, a PDF) says what it is; a zip that would unpack to more than
its limit, or holds too many members, is refused; absolute paths and ``..`` are skipped and named.
"""

from __future__ import annotations

import fnmatch
import shutil
import zipfile
import zlib
from pathlib import Path
from typing import Any, Sequence

# Folders and files of a submission that are never copied: caches, tools' folders, macOS zip debris.
# Bytecode is skipped on purpose: a .pyc that does not match its source must not be what is graded.
JUNK = ("__pycache__", "*.pyc", "__MACOSX", ".git", ".hg", ".svn", ".venv", "venv", ".nox", ".tox",
        "node_modules", ".idea", ".vscode", ".DS_Store", "._*", "Thumbs.db")

MAX_ZIP_BYTES = 200 * 2**20  # what a learner's zip may unpack to: far more than any honest submission
MAX_ZIP_MEMBERS = 20_000
MAX_EXPORT_BYTES = 4 * 2**30  # a whole class's export
MAX_EXPORT_MEMBERS = 500_000

# First bytes of archives that learners send instead of a zip, to say what the file is.
MAGIC = ((b"Rar!", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gzip/tar.gz"), (b"BZh", "bzip2"),
         (b"\xfd7zXZ", "xz"), (b"%PDF", "PDF"))


class Unreadable(Exception):
    """Files that cannot be had; ``key`` and ``values`` say why, in :data:`grader.teacher.texts.MESSAGES`."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def copy_folder(source: Path, dest: Path) -> None:
    """Copy a submission folder (without :data:`JUNK`) into ``dest``, merging with what is there."""
    try:
        shutil.copytree(source, dest, symlinks=True, ignore=shutil.ignore_patterns(*JUNK), dirs_exist_ok=True)
    except (shutil.Error, OSError) as problem:
        raise Unreadable("folder_unreadable", name=source.name, error=brief_error(problem)) from None


def extract_zip(archive: Path, dest: Path, max_bytes: int = MAX_ZIP_BYTES, max_members: int = MAX_ZIP_MEMBERS) -> list[str]:
    """Extract ``archive`` into ``dest`` safely; return the members skipped as unsafe paths.

    No member is written outside ``dest`` (absolute paths and ``..`` are skipped), junk is left out,
    and the whole archive may unpack to at most ``max_bytes`` in ``max_members`` members.
    """
    if not zipfile.is_zipfile(archive):
        kind = _looks_like(archive)
        if kind == "":
            raise Unreadable("empty_upload", name=archive.name)
        if kind is None:
            raise Unreadable("not_a_zip", name=archive.name)
        raise Unreadable("not_a_zip_but", name=archive.name, kind=kind)
    skipped = []
    budget = max_bytes
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > max_members:
                raise Unreadable("zip_unreadable", name=archive.name, error=f"{len(members)} files, more than {max_members}")
            for member in members:
                parts = safe_parts(member.filename)
                if parts is None:
                    skipped.append(member.filename)
                    continue
                if not parts or is_junk(parts):
                    continue
                target = dest.joinpath(*parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as source, open(target, "wb") as out:
                    while chunk := source.read(1 << 16):
                        budget -= len(chunk)
                        if budget < 0:
                            raise Unreadable("zip_unreadable", name=archive.name,
                                             error=f"it unpacks to more than {size_text(max_bytes)}")
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error,
            OSError, ValueError) as problem:
        raise Unreadable("zip_unreadable", name=archive.name, error=brief_error(problem)) from None
    return skipped


def safe_parts(member: str) -> list[str] | None:
    """The path parts of a zip member, or None when it would land outside the extraction folder."""
    text = member.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None
    return parts


def is_junk(parts: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in JUNK)


def _looks_like(path: Path) -> str | None:
    """What kind of file ``path`` is by its first bytes ("RAR", "PDF", …): "" when empty, None when unknown."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError:
        return None
    if not head:
        return ""
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def size_text(count: int) -> str:
    """A number of bytes as people read it: 200 MiB, 4 GiB, 1.5 KiB."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def brief_error(problem: BaseException) -> str:
    text = str(problem) or type(problem).__name__
    return text if len(text) <= 200 else text[:199] + "…"
