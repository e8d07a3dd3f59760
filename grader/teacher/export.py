"""The gradebook's exports: the CSV a teacher opens in Excel, one results.json per learner, the console table.

The CSV is UTF-8 with a byte-order mark (without it Excel on Windows reads the file in the ANSI code
page and 张三 shows as 寮犱笁), and no cell starts like a formula (a submission named
``=HYPERLINK(...)`` would be evaluated): such a cell is written with a leading ``'``, as OWASP
advises. The console table lines up names in Chinese, whose characters take two columns.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, TextIO

from grader.reports.files import write_text_atomically

if TYPE_CHECKING:
    from grader.teacher.gradebook import Row, Settings

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_header(exercises: Sequence[Any]) -> list[str]:
    """The gradebook's columns: the contract's ones, then the seed (to replay) and a note (why a row is odd)."""
    return ["submission", *[e.module for e in exercises], "score", "max_score", "seed", "note"]


def cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet shows as written: text that starts like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Sequence[Sequence[Any]]) -> str:
    """``rows`` as CSV text for a spreadsheet: the byte-order mark first, every cell through :func:`cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([cell(value) for value in row] for row in rows)
    return BOM + buffer.getvalue()


def write_csv(rows: Sequence[Row], path: Path, settings: Settings) -> None:
    """One row per submission: each exercise's points, the score, the maximum, the seed and the notes."""
    table = [csv_header(settings.exercises)]
    for row in rows:
        table.append([row.name, *[row.points[e.module] for e in settings.exercises], row.score, row.max_score,
                      settings.seed, "; ".join(row.notes)])
    write_text_atomically(path, csv_text(table))


def file_name(name: str) -> str:
    """``name`` as the name of a file in one folder: no separator, no ``..``, nothing a file system refuses."""
    cleaned = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", name).strip().rstrip(".")
    return cleaned if cleaned.strip("._") else f"_{cleaned}"


def write_json_dir(rows: Sequence[Row], folder: Path) -> None:
    """Each submission's Gradescope report as ``folder/<submission>.json``, the row's notes first in its ``output``."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        report = {**row.report, "output": "\n".join([*row.notes, str(row.report.get("output", ""))]).strip()}
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        write_text_atomically(folder / f"{file_name(row.name)}.json", text)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (an ESC starts a colour or moves the cursor) shown."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda found: chr(0x2400 + min(ord(found.group()), 0x21)), text)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def write_table(rows: Sequence[Row], settings: Settings, out: TextIO) -> None:
    """The gradebook on the console: a line per submission with each exercise's points and the notes."""
    names = [printable(r.name) for r in rows]
    width = max([display_width(n) for n in names] + [10])
    ids = [e.id for e in settings.exercises]
    out.write(pad("submission", width) + "  " + " ".join(f"{i:>5}" for i in ids) + "   score\n")
    for name, row in zip(names, rows, strict=True):
        cells = " ".join(f"{row.points[e.module]:>2}/{row.max_points[e.module]:<2}" for e in settings.exercises)
        out.write(f"{pad(name, width)}  {cells}  {row.score:>3}/{row.max_score:<3}\n")
        for text in row.notes:
            out.write(f"{'':<{width}}  - {printable(text.splitlines()[0]) if text else ''}\n")
