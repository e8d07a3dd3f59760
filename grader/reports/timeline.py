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


def draw(bars: list[dict[str, Any]], lang: str = "en", width: int = WIDTH, colour: bool = False) -> list[str]:
    """Rows for ``bars`` (each: label, pid, start, end in seconds from a common origin): the axis, then a row per bar.

    Both ends of a bar are rounded to the nearest column, so bars that did not overlap in time never
    share a column (unless one is shorter than a column: every bar is drawn at least one wide).
    """
    if not bars:
        return []
    span = max(max(b["end"] for b in bars), 1e-6)
    names = [word(lang, "timeline_row", label=_label(b["label"], lang), pid=b["pid"]) for b in bars]
    name_width = max(display_width(n) for n in names)
    left, right = word(lang, "seconds", value=0), word(lang, "seconds", value=span)
    rows = [f"{'':{name_width}}  {left}{' ' * max(1, width - display_width(left) - display_width(right))}{right}"]
    for name, bar in zip(names, bars):
        first = min(width - 1, round(bar["start"] / span * width))
        last = max(first + 1, min(width, round(bar["end"] / span * width)))
        drawn = BAR * (last - first)
        line = GAP * first + (COLOUR + drawn + RESET if colour else drawn) + GAP * (width - last)
        rows.append(f"{name}{' ' * (name_width - display_width(name))} |{line}|")
    return rows


def _label(label: str, lang: str) -> str:
    """A bar's label as the learner reads it: the main process is named in their language."""
    return word(lang, "main_process") if label == "main" else label
