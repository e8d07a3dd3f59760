"""The gradebook as one self-contained HTML page (``--html FILE``): the class, its top mistakes, each learner.

One file, nothing fetched (styles inline, timelines as inline SVG, no script), so it opens from a
mail or a shared drive. Everything a learner controls (their name, their code's messages, the
labels of their processes) is escaped, with control characters shown as ␛, ␀, ...: the page shows
it and never runs it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Sequence

from grader import messages
from grader.messages import render, word
from grader.reports.files import write_text_atomically
from grader.results import NOT_STARTED, CheckResult, ExerciseResult, GradeRun
from grader.teacher.export import printable
from grader.teacher.summary import ClassSummary

TEXT: dict[str, dict[str, str]] = messages.define(__name__, {
    "page_title": {"en": "Gradebook: {count} learner(s)", "zh": "成绩册：{count} 名学生"},
    "page_settings": {"en": "Start method {method}, seed {seed}. Replay a learner alone with --seed {seed} --start-method {method}.",
                 "zh": "启动方式 {method}，随机种子 {seed}。单独重现某个学生：--seed {seed} --start-method {method}。"},
    "page_class": {"en": "The class", "zh": "全班"},
    "page_learner": {"en": "learner", "zh": "学生"},
    "page_score": {"en": "score", "zh": "得分"},
    "page_passed_by": {"en": "passed by", "zh": "通过人数"},
    "page_mistakes": {"en": "Most frequent mistakes", "zh": "最常见的错误"},
    "page_mistake": {"en": "learner(s), in {checks} check(s)", "zh": "名学生，共 {checks} 项检查"},
    "page_no_mistakes": {"en": "No mistakes: every check that ran passed.", "zh": "没有错误：运行过的检查都通过了。"},
    "page_each": {"en": "Each learner", "zh": "每个学生"},
    "page_points": {"en": "{score}/{max_score} points", "zh": "{score}/{max_score} 分"},
    "page_not_started": {"en": "not started", "zh": "未开始"},
    "page_written": {"en": "The class page written to {path}", "zh": "全班页面已写入 {path}"},
    "page_timeline": {"en": "What ran when (one bar per process, {seconds:.2f} s in all)",
                 "zh": "各进程的运行时间（每个进程一条，共 {seconds:.2f} 秒）"},
})

STYLE = """
body { font: 15px/1.45 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: center; }
th:first-child, td:first-child { text-align: left; }
td.passed { background: #d7f5dc; } td.failed { background: #fde2e1; } td.not_started { background: #eee; color: #888; }
li.mistake { margin: .6em 0; } .count { font-weight: bold; font-size: 1.1em; }
blockquote, pre { white-space: pre-wrap; background: #f6f6f6; padding: .4em .7em; margin: .3em 0; border-left: 3px solid #bbb; }
details { margin: .4em 0; } summary { cursor: pointer; font-weight: bold; }
li.check.passed::marker { content: "✓ "; color: #1a7f37; } li.check.failed::marker { content: "✗ "; color: #c62828; }
code { background: #f0f0f0; padding: 0 .2em; }
svg text { font: 11px monospace; }
"""

SVG_WIDTH, LABEL_WIDTH, ROW = 640, 200, 18


def esc(value: Any) -> str:
    """``value`` as HTML text or attribute value: escaped, control characters shown, nothing a browser would run."""
    text = printable(str(value))
    return html.escape(re.sub("[\ud800-\udfff]", "\ufffd", text), quote=True)


def t(lang: str, name: str, /, **values: Any) -> str:
    return esc(render(f"page_{name}", values, lang))


def page(summary: ClassSummary, runs: Sequence[tuple[str, GradeRun]], lang: str) -> str:
    """The whole page for the class of ``runs`` (each a learner's name and record) and its ``summary``."""
    first = runs[0][1] if runs else None
    settings = t(lang, "settings", method=first.start_method, seed=first.seed) if first else ""
    body = [f"<h1>{t(lang, 'title', count=len(runs))}</h1>", f"<p>{settings}</p>",
            class_table(summary, runs, lang), mistakes(summary, lang),
            f'<section id="learners"><h2>{t(lang, "each")}</h2>',
            *(learner(index, name, run, lang) for index, (name, run) in enumerate(runs)), "</section>"]
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width"><title>{t(lang, "title", count=len(runs))}</title>'
            f"<style>{STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


def class_table(summary: ClassSummary, runs: Sequence[tuple[str, GradeRun]], lang: str) -> str:
    """A row per learner (each exercise's points, coloured by how it went), then how many passed each exercise."""
    exercises = [tally.exercise for tally in summary.exercises]
    head = "".join(f'<th title="{esc(e.module)}">{esc(e.id)}</th>' for e in exercises)
    rows = []
    for index, (name, run) in enumerate(runs):
        results = {r.exercise.module: r for r in run.exercises}
        cells = "".join(_points_cell(results.get(e.module)) for e in exercises)
        rows.append(f'<tr><td><a href="#learner-{index}">{esc(name)}</a></td>{cells}'
                    f"<td>{run.score}/{run.max_score}</td></tr>")
    passed = "".join(f"<td>{len(tally.passed)}/{len(runs)}</td>" for tally in summary.exercises)
    return (f'<section id="class"><h2>{t(lang, "class")}</h2><table class="class-table">'
            f"<thead><tr><th>{t(lang, 'learner')}</th>{head}<th>{t(lang, 'score')}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody>"
            f"<tfoot><tr><th>{t(lang, 'passed_by')}</th>{passed}<td></td></tr></tfoot></table></section>")


def _points_cell(result: ExerciseResult | None) -> str:
    if result is None:
        return "<td></td>"
    return f'<td class="{esc(result.status)}">{result.score}/{result.max_score}</td>'


def mistakes(summary: ClassSummary, lang: str) -> str:
    """The mistakes, most frequent first: how many made it, the exercise and key, who, and one learner's message."""
    if not summary.mistakes:
        return f'<section id="mistakes"><h2>{t(lang, "mistakes")}</h2><p>{t(lang, "no_mistakes")}</p></section>'
    items = []
    for mistake in summary.mistakes:
        example = mistake.example.get(lang) or mistake.example.get("en") or ""
        items.append(
            f'<li class="mistake"><span class="count">{mistake.count}</span> '
            f"{t(lang, 'mistake', checks=mistake.checks)}: {esc(mistake.exercise.module)} <code>{esc(mistake.key)}</code> "
            "— "
            f'<span class="who">{esc(", ".join(mistake.learners))}</span>'
            f"<blockquote>{esc(example)}</blockquote></li>")
    return f'<section id="mistakes"><h2>{t(lang, "mistakes")}</h2><ol>{"".join(items)}</ol></section>'


def learner(index: int, name: str, run: GradeRun, lang: str) -> str:
    """One learner: each exercise's checks with the learner's message and timelines, under their name.

    Folded when every exercise passed, open otherwise: what there is to read is what went wrong.
    """
    folded = "" if run.all_passed else " open"
    parts = [f'<details id="learner-{index}"{folded}><summary>{esc(name)}: '
             f"{t(lang, 'points', score=run.score, max_score=run.max_score)}</summary>"]
    for result in run.exercises:
        status = t(lang, "not_started") if result.status == NOT_STARTED else ""
        parts.append(f'<h3 class="{esc(result.status)}">{esc(result.exercise.module)}: '
                     f"{t(lang, 'points', score=result.score, max_score=result.max_score)} {status}</h3><ul>")
        if result.status == NOT_STARTED:  # every check says the same: say it once
            first = result.first_failure
            parts.append(f"<pre>{esc(first.message(lang))}</pre>" if first else "")
        else:
            parts.extend(check_item(check, lang) for check in result.checks)
        parts.append("</ul>")
    parts.append("</details>")
    return "\n".join(parts)


def check_item(check: CheckResult, lang: str) -> str:
    """A check: passed or not, its title and points, the learner's message, its timelines as pictures."""
    state = "passed" if check.passed else "failed"
    message = f"<pre>{esc(check.message(lang))}</pre>" if not check.passed else ""
    notes = "".join(f"<blockquote>{esc(note)}</blockquote>" for note in check.notes_in(lang) if note)
    pictures = "".join(timeline_svg(bars, lang) for bars in check.timelines if bars)
    return (f'<li class="check {state}">{esc(check.title.get(lang) or check.title.get("en", check.check))} '
            f"({check.score}/{check.points}){message}{notes}{pictures}</li>")


def timeline_svg(bars: list[dict[str, Any]], lang: str) -> str:
    """``bars`` (each: label, pid, start, end in seconds) as an inline SVG: a row per process on one time axis."""
    span = max(max(float(b.get("end", 0)) for b in bars), 1e-6)
    scale = (SVG_WIDTH - LABEL_WIDTH - 10) / span
    height = ROW * (len(bars) + 1)
    rows = []
    for row, bar in enumerate(bars):
        start, end = float(bar.get("start", 0)), float(bar.get("end", 0))
        x, y = LABEL_WIDTH + start * scale, row * ROW + 3
        width = max((end - start) * scale, 2.0)
        name = word(lang, "main_process") if bar.get("label") == "main" else str(bar.get("label", ""))
        label = f"{name} (pid {bar.get('pid', '?')})"
        rows.append(f'<text x="0" y="{y + 11}">{esc(label[:32])}</text>'
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW - 6}" fill="#4a90d9">'
                    f"<title>{esc(label)}: {start:.3f}–{end:.3f} s</title></rect>")
    axis = height - ROW + 12
    return (f'<figure><figcaption>{t(lang, "timeline", seconds=span)}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_WIDTH}" height="{height}" role="img">'
            f'{"".join(rows)}<line x1="{LABEL_WIDTH}" y1="{axis - 10}" x2="{SVG_WIDTH - 10}" y2="{axis - 10}" '
            f'stroke="#999"/><text x="{LABEL_WIDTH}" y="{axis}">0 s</text>'
            f'<text x="{SVG_WIDTH - 60}" y="{axis}">{span:.2f} s</text></svg></figure>')


def write_html(summary: ClassSummary, runs: Sequence[tuple[str, GradeRun]], path: Path, lang: str) -> None:
    """Write the page for ``runs`` and ``summary`` to ``path``, in one step."""
    write_text_atomically(path, page(summary, runs, lang))
