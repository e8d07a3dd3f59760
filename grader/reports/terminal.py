"""What a console can show: the columns text takes, lines wrapped to its width, symbols it can encode.

A learner's console is often not UTF-8 (a Chinese Windows code page, gbk; cp1252; a redirect to a
file): what it cannot encode is printed as a plain stand-in instead of ending the grader.
"""

from __future__ import annotations

import codecs
import re
import shutil
import unicodedata
from typing import TextIO

PLAIN_SYMBOLS = {
    "✔": "OK", "✘": "X", "█": "#", "·": ".", "…": "...", "→": "->", "—": "-", "–": "-",
    "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x", "▲": "^", "┊": "|", "│": "|",
}
ERRORS = "mp-kit-plain"  # the name our stand-ins are registered under with the codecs module
COLOUR_CODE = re.compile(r"\033\[[0-9;]*m")
# A wrapped line never starts with these: they close what came before.
CLOSING = set("，。、；：！？）」』》”’,.;:!?)]")


def stand_in(char: str, encoding: str) -> str:
    """What to print for ``char`` where ``encoding`` cannot encode it: a plain symbol, its compatibility form, or ?."""
    for candidate in (PLAIN_SYMBOLS.get(char), unicodedata.normalize("NFKC", char)):
        if candidate:
            try:
                candidate.encode(encoding)
            except UnicodeEncodeError:
                continue
            return candidate
    return "?"


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return stand_in(error.object[error.start], error.encoding), error.start + 1


codecs.register_error(ERRORS, _replace)


def tolerate_encoding(stream: TextIO) -> None:
    """Make ``stream`` print a stand-in for each character its encoding lacks, instead of raising."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and getattr(stream, "errors", None) == "strict":
        try:
            reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # a closed or detached stream: nothing will be printed to it anyway
            pass


def can_encode(stream: TextIO, text: str) -> bool:
    """Whether ``stream``'s encoding has every character of ``text``."""
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def char_width(char: str) -> int:
    """Columns ``char`` takes in a terminal: two for East Asian wide and full-width characters, none for a combining mark."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (colour codes take none)."""
    return sum(char_width(ch) for ch in COLOUR_CODE.sub("", text))


def width_of(stream: TextIO) -> int | None:
    """The columns of the terminal ``stream`` writes to; None when it is not a terminal (nothing is wrapped)."""
    try:
        if not stream.isatty():
            return None
    except (ValueError, OSError):
        return None
    return shutil.get_terminal_size().columns


def wrap(text: str, width: int | None) -> str:
    """``text`` with every line longer than ``width`` columns broken, each piece keeping the line's indentation.

    English breaks only between words (a word longer than the line is broken where it must); Chinese
    may break between any two characters, but never before a closing mark such as ，or 。.
    """
    if width is None:
        return text
    return "\n".join(piece for line in text.split("\n") for piece in wrap_line(line, width))


def _units(text: str) -> list[str]:
    """``text`` cut where a line may break: words, single spaces, single wide characters (closing marks stay attached)."""
    units: list[str] = []
    for part in re.findall(r" |[^ ]+", text):
        word = ""
        for ch in part:
            if ch in CLOSING and not word and units and units[-1] != " ":
                units[-1] += ch
            elif char_width(ch) == 2 and ch not in CLOSING:
                if word:
                    units.append(word)
                units.append(ch)
                word = ""
            else:
                word += ch
        if word:
            units.append(word)
    return [u for u in units if u]


def wrap_line(line: str, width: int) -> list[str]:
    """One line as the lines that fit in ``width`` columns (see :func:`wrap`)."""
    if display_width(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip(" "))]
    room = max(width - len(indent), 10)
    lines: list[str] = []
    current, used = "", 0
    for unit in _units(line[len(indent):]):
        size = display_width(unit)
        if unit == " ":
            if current:
                current, used = current + " ", used + 1
            continue
        if used + size > room and current.strip():
            lines.append(current.rstrip(" "))
            current, used = "", 0
        while size > room:  # a word longer than the line: broken where it must be
            head, tail = _cut(unit, room - used)
            lines.append(current + head)
            current, used, unit = "", 0, tail
            size = display_width(unit)
        current, used = current + unit, used + size
    if current.strip():
        lines.append(current.rstrip(" "))
    return [indent + piece for piece in lines]


def _cut(word: str, columns: int) -> tuple[str, str]:
    """``word`` split after the characters that fit in ``columns`` (at least one)."""
    used = 0
    for index, ch in enumerate(word):
        used += char_width(ch)
        if used > columns and index:
            return word[:index], word[index:]
    return word, ""
