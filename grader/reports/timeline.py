"""A picture of what ran: one row per process, bars on a shared time axis, as plain text.

Plain characters only, so it survives being pasted into a chat; colour only when asked (the
caller asks when the output is a terminal).
"""

from __future__ import annotations

from typing import Any

from grader.messages import word
from grader.reports.terminal import display_width

WIDTH = 40  # characters of the time axis
BAR = "█"
GAP = "·"
COLOUR, RESET = "\033[36m", "\033[0m"


def call_bar(function: str, pid: int, called: float, returned: float) -> dict[str, Any]:
    """The bar of the learner's call ``function(...)``, made in process ``pid``, from ``called`` to ``returned``
    (seconds from the timeline's origin); the moment it returned is marked under the axis."""
    return {"label": f"{function}()", "pid": pid, "start": round(called, 4), "end": round(returned, 4),
            "returned": round(returned, 4), "function": function}


def draw(bars: list[dict[str, Any]], lang: str = "en", width: int = WIDTH, colour: bool = False) -> list[str]:
    """Rows for ``bars`` (each: label, pid, start, end in seconds from one origin, that of the checks' messages):
    the axis, a row per bar, a mark where the learner's call returned (a bar with ``returned``), and what the
    ``main`` row is when there is one.

    Both ends of a bar are rounded to the nearest column, so bars that did not overlap in time never
    share a column (unless one is shorter than a column: every bar is drawn at least one wide).
    """
    if not bars:
        return []
    span = max(max(b["end"] for b in bars), max(b.get("returned", 0.0) for b in bars), 1e-6)
    names = [word(lang, "timeline_row", label=_label(b["label"], lang), pid=b["pid"]) for b in bars]
    name_width = max(display_width(n) for n in names)
    left, right = word(lang, "seconds", value=0), word(lang, "seconds", value=span)
    rows = [f"{'':{name_width}}  {left}{' ' * max(1, width - display_width(left) - display_width(right))}{right}"]
    for name, bar in zip(names, bars, strict=True):
        first = min(width - 1, round(bar["start"] / span * width))
        last = max(first + 1, min(width, round(bar["end"] / span * width)))
        drawn = BAR * (last - first)
        line = GAP * first + (COLOUR + drawn + RESET if colour else drawn) + GAP * (width - last)
        rows.append(f"{name}{' ' * (name_width - display_width(name))} |{line}|")
    for bar in bars:
        if "returned" in bar:
            rows.append(_mark(bar, span, width, name_width, lang))
    if any(bar["label"] == "main" for bar in bars):
        rows.append(word(lang, "timeline_main_row", main=_label("main", lang)))
    return rows


def _mark(bar: dict[str, Any], span: float, width: int, name_width: int, lang: str) -> str:
    """A row under the bars with ^ in the column where the call returned, and what it marks beside it."""
    column = min(width - 1, max(0, round(bar["returned"] / span * width) - 1))
    text = word(lang, "timeline_returned", function=bar.get("function", bar["label"]), seconds=bar["returned"])
    if column + 2 + display_width(text) > width and column >= display_width(text) + 1:
        marked = " " * (column - 1 - display_width(text)) + text + " ^"  # room on the left only
    else:
        marked = " " * column + "^ " + text
    return " " * (name_width + 2) + marked


def _label(label: str, lang: str) -> str:
    """A bar's label as the learner reads it: the main process is named in their language."""
    return word(lang, "main_process") if label == "main" else label
