"""What ex03 (``sing``, ``dance``) and ex06/ex07 (``work``) share: a function that prints a line
``num`` times, sleeping ``delay`` after each, and is called as ``f(num, delay)``.

Their texts are defined here once, and so are the checks: how many lines it printed (and, when a
line is not the expected one, what differs), that it paused between them (judged by the gaps
between its lines), that a process ran it with the right arguments. This module is not a checks module itself (pytest collects only ``ex*_*.py``).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from grader.inside.observe import Call

from .. import messages
from ..messages import NO_TEXT, Mistake, Text
from . import bound_arguments, first_pause_missing

MESSAGES = messages.define(__name__, {
    "wrong_count": {
        "en": "{function}({num}, {delay}) printed {word!r} {count} time(s); expected {num}.{difference} It printed:\n{printed}",
        "zh": "{function}({num}, {delay}) 打印了 {count} 次 {word!r}，预期 {num} 次。{difference}它打印的是：\n{printed}",
    },
    "lines_glued": {
        "en": "{function}({num}, {delay}) printed {word!r} {num} times, but not each on a line of its own: {times} of them share one line: {line!r}. The docstring asks for a line each time; print(..., end=\"\") leaves the line open, so the next one is glued to it. Keep print's default end, a newline: print({word!r}).",
        "zh": "{function}({num}, {delay}) 打印了 {num} 次 {word!r}，但不是每次各占一行：其中 {times} 次挤在同一行里：{line!r}。每次打印都应该单独占一行（像教程的输出那样）；print(..., end=\"\") 不换行，下一次打印就接在后面了。请保留 print 默认的结尾（换行符）：print({word!r})。",
    },
    "wrong_arguments": {
        "en": "{function} was called with {got}; expected num={num}, delay={delay}. Pass args=(num, delay) to the process.",
        "zh": "{function} 收到的参数是 {got}；预期 num={num}, delay={delay}。请给进程传入 args=(num, delay)。",
    },
})

FULL_STOP = "。"  # the ideographic full stop (U+3002) the tutorial's lines end in


def prints_values(rng: random.Random) -> tuple[int, float]:
    """The ``num`` and ``delay`` a check of the printing function alone calls it with."""
    return rng.randint(2, 5), rng.choice([0.01, 0.02, 0.03])


def writes_of(record: dict[str, Any]) -> list[tuple[float, str]]:
    """What a call wrote, and when, from a host's record of it (malformed entries left out)."""
    output = record.get("output")
    return [(float(w[0]), w[1]) for w in output if isinstance(w, list) and len(w) == 2
            and isinstance(w[0], (int, float)) and isinstance(w[1], str)] if isinstance(output, list) else []


def expect_hosted_prints(played: Any, function: str, word: str, num: int, delay: float) -> None:
    """:func:`expect_printed` for a call the host made alone: what it printed, and when, happened inside the
    host, whose report of it is all there is (a forged one can pass this check only)."""
    reported = played.observation.get("calls")
    calls = [c for c in reported if isinstance(c, dict) and c.get("label") == function] if isinstance(reported, list) else []
    expect_printed([write for call in calls for write in writes_of(call)], function, word, num, delay)


def expect_printed(writes: list[tuple[float, str]], function: str, word: str, num: int, delay: float) -> None:
    """Fail unless ``writes`` (when and what ``function(num, delay)`` wrote) are ``word`` ``num`` times,
    each on a line of its own, at least ``delay`` apart."""
    # every write of every call (a sing that calls itself is several calls), in the order written
    output = sorted(writes, key=lambda write: write[0])
    text = "".join(chunk for _, chunk in output)
    count = text.count(word)
    if count != num:
        raise Mistake("wrong_count", function=function, num=num, delay=delay, word=word, count=count,
                      difference=difference(word, text), printed=text.strip()[:300] or "(nothing)")
    # "After each line": a line may say more than the word (a counter, a name), never hold it twice.
    glued = next((line for line in text.splitlines() if line.count(word) > 1), None)
    if glued is not None:
        raise Mistake("lines_glued", function=function, num=num, delay=delay, word=word,
                      times=glued.count(word), line=glued.strip()[:200])
    # With the count right, lines at least delay apart make a call at least (num - 1) * delay long:
    # the gaps are the whole judgement, and no busy machine can stretch them.
    missing = first_pause_missing(output, word, num, delay)
    if missing is not None:
        raise Mistake("lines_too_close", function=function, num=num, delay=delay, line=missing[0], gap=missing[1])


def expect_num_delay(func: Any, call: Call, num: int, delay: float, function: str) -> None:
    """Fail unless ``call`` of ``func`` (the learner's ``function``) got ``num`` and ``delay``."""
    got = bound_arguments(func, call)
    if got is None or got.get("num") != num or got.get("delay") != delay:
        raise Mistake("wrong_arguments", function=function, num=num, delay=delay,
                      got=f"args={tuple(call.args)!r}, kwargs={call.kwargs!r}")


def difference(word: str, text: str) -> Text:
    """What differs between the line ``word`` and the line printed most often instead, said in a
    sentence; no text when every line printed is ``word`` (then only their number is wrong)."""
    others = Counter(line.strip() for line in text.splitlines() if line.strip() and line.strip() != word)
    if not others:
        return NO_TEXT
    line = others.most_common(1)[0][0]
    stem = word.rstrip(FULL_STOP)
    wanted = len(word) - len(stem)
    if wanted and line.startswith(stem):
        tail = line[len(stem):]
        if tail and set(tail) <= {"."}:
            return Text(f" Its lines end in {len(tail)} ASCII dot(s) {tail!r} where {wanted} {FULL_STOP!r} "
                        f"(the Chinese full stop, U+3002) are expected: {line!r}.",
                        f"它打印的行以 {len(tail)} 个英文句点 {tail!r} 结尾，预期是 {wanted} 个中文句号 "
                        f"{FULL_STOP!r}（U+3002）：{line!r}。")
        if set(tail) <= {FULL_STOP}:
            return Text(f" Its lines have {len(tail)} {FULL_STOP!r} where {wanted} are expected: {line!r}.",
                        f"它打印的行里有 {len(tail)} 个 {FULL_STOP!r}，预期 {wanted} 个：{line!r}。")
    at = next((i for i, (a, b) in enumerate(zip(line, word, strict=False)) if a != b), min(len(line), len(word)))
    if at < len(line) and at < len(word):
        return Text(f" Its line {line!r} differs from {word!r} at character {at + 1}: {line[at]!r} where "
                    f"{word[at]!r} is expected.",
                    f"它打印的行 {line!r} 与 {word!r} 从第 {at + 1} 个字符起不同：是 {line[at]!r}，预期是 {word[at]!r}。")
    if at < len(word):
        return Text(f" Its line {line!r} stops short: {word!r} goes on with {word[at:]!r}.",
                    f"它打印的行 {line!r} 少了结尾：{word!r} 后面还有 {word[at:]!r}。")
    return Text(f" Its line {line!r} has {line[at:]!r} after {word!r}.",
                f"它打印的行 {line!r} 在 {word!r} 之后多出了 {line[at:]!r}。")
