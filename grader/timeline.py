"""A picture of what ran: one row per process, bars on a shared time axis, as plain text.

Plain characters only, so it survives being pasted into a chat; colour is added by the caller
when the output is a terminal.
"""

from __future__ import annotations

from typing import Any

WIDTH = 40  # characters of the time axis
BAR = "█"
GAP = "·"


def draw(bars: list[dict[str, Any]], lang: str = "en", width: int = WIDTH) -> list[str]:
    """Rows for ``bars`` (each: label, pid, start, end in seconds from a common origin)."""
    if not bars:
        return []
    span = max(max(b["end"] for b in bars), 1e-6)
    names = [f"{b['label']} {'进程' if lang == 'zh' else 'pid'} {b['pid']}" for b in bars]
    name_width = max(display_width(n) for n in names)
    rows = [f"{'':{name_width}}  0 s{' ' * (width - 3 - len(_seconds(span)))}{_seconds(span)}"]
    for name, bar in zip(names, bars):
        first = min(width - 1, int(bar["start"] / span * width))
        last = max(first + 1, min(width, round(bar["end"] / span * width)))
        line = GAP * first + BAR * (last - first) + GAP * (width - last)
        rows.append(f"{name}{' ' * (name_width - display_width(name))} |{line}|")
    return rows


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _seconds(value: float) -> str:
    return f"{value:.2f} s"
