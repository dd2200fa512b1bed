"""The diff report as GitHub-flavoured Markdown, for a pull-request comment or a job
summary: "Needs attention" first, then the health table, then the changes, long lists
folded in `<details>`. Every piece of plan text is escaped; the only HTML is `<details>`
and `<summary>`. At most `LIMIT` characters: a longer report is cut at a section."""

from __future__ import annotations

from collections.abc import Callable

from cascade.changes import Change
from cascade.diagnostics import Diagnostic
from cascade.diffreport.model import DiffReport, Moved, grouped
from cascade.diffreport.words import (
    band,
    health_rows,
    label,
    progress,
    sides_line,
    summary_line,
    what,
)
from cascade.page.markdown import code, escape, table

LIMIT = 60_000
FOLD = 10  # longer lists are folded
ATTENTION = 50  # items listed under "Needs attention"; the sections below hold them all
_CUT = (
    "Cut at 60,000 characters: {left} more section{s} left out. "
    "`cascade diff --format markdown -o FILE` writes the whole report."
)


def _name(change: Change) -> str:
    return label(change, lambda ident: f"**{escape(ident)}**", escape)


def _where(file: str, line: int) -> str:
    return code(f"{file}:{line}")


def _folded(summary: str, lines: list[str]) -> list[str]:
    """`lines` as they are, or inside `<details>` when there are many."""
    if len(lines) <= FOLD + 2:  # a table's header and rule
        return [*lines, ""]
    return ["<details>", f"<summary>{summary}</summary>", "", *lines, "", "</details>", ""]


def _finding_rows(found: list[Diagnostic]) -> list[list[str]]:
    return [
        [
            f"{d.rule} {escape(d.name)}",
            d.severity.value,
            escape(d.message),
            _where(d.location.file, d.location.line),
        ]
        for d in found
    ]


def _front(report: DiffReport) -> list[str]:
    title = f"# Cascade diff: {code(report.base.label)} → {code(report.head.label)}"
    return [title, "", escape(sides_line(report)), "", f"**{escape(summary_line(report))}**", ""]


def _attention(report: DiffReport) -> list[str]:
    attention = report.attention()
    if report.empty:
        return []
    lines = ["## Needs attention", ""]
    if not attention:
        return [
            *lines,
            "Nothing: no new errors or warnings, no target eased, no goal newly off track.",
            "",
        ]
    for d in attention.findings:
        where = _where(d.location.file, d.location.line)
        lines.append(
            f"- New {d.severity.value}: {d.rule} {escape(d.name)}: {escape(d.message)} ({where})"
        )
    for change in attention.eased:
        where = _where(change.file, change.line)
        lines.append(f"- {_name(change)}: {escape(what(change))} ({where})")
    for moved in attention.off_track:
        lines.append(f"- Now off track: goal **{escape(moved.id)}** {escape(moved.title)}")
    if len(lines) > ATTENTION + 2:  # the heading and its blank line
        more = len(lines) - ATTENTION - 2
        lines = [*lines[: ATTENTION + 2], f"- … and {more} more, in the sections below"]
    return [*lines, ""]


def _health(report: DiffReport) -> list[str]:
    if report.empty:
        return []
    rows = health_rows(report)  # cascade's own words and numbers: nothing to escape
    return [
        "## Health of the cascade",
        "",
        *table(["measure", "before", "after", "change"], rows),
        "",
    ]


def _changes(report: DiffReport) -> list[list[str]]:
    blocks = []
    for title, changes in grouped(report.changes):
        rows = [[_name(c), escape(what(c)), _where(c.file, c.line)] for c in changes]
        lines = table(["item", "change", "where"], rows)
        heading = f"## {escape(title)} ({len(changes)})"
        blocks.append([heading, "", *_folded(f"{len(changes)} changes", lines)])
    return blocks


def _moves(title: str, column: str, found: list[Moved], said: Callable[[Moved], str]) -> list[str]:
    if not found:
        return []
    rows = [[f"**{escape(m.id)}** {escape(m.title)}", escape(said(m))] for m in found]
    lines = table(["goal", column], rows)
    return [f"## {title}", "", *_folded(f"{len(rows)} goals", lines)]


def _status(report: DiffReport) -> list[str]:
    return _moves("Status at the date", "status", report.status, band)


def _progress(report: DiffReport) -> list[str]:
    return _moves("Progress at the date", "progress", report.progress, progress)


def _findings(report: DiffReport) -> list[list[str]]:
    blocks = []
    for title, found in (("New findings", report.new), ("Resolved findings", report.resolved)):
        if found:
            lines = table(["rule", "severity", "finding", "where"], _finding_rows(found))
            blocks.append(
                [f"## {title} ({len(found)})", "", *_folded(f"{len(found)} findings", lines)]
            )
    return blocks


def render(
    report: DiffReport, *, color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    del color, width, quiet  # Markdown has neither
    blocks = [
        _front(report),
        _attention(report),
        _health(report),
        *_changes(report),
        _status(report),
        _progress(report),
        *_findings(report),
    ]
    blocks = [block for block in blocks if block]
    return cut(blocks)


def cut(blocks: list[list[str]], limit: int = LIMIT) -> str:
    """The blocks joined, as many as fit in `limit` characters with room for the line that
    says the rest was cut."""
    room = limit - len(_CUT) - 10
    out: list[str] = []
    size = 0
    for n, block in enumerate(blocks):
        text = "\n".join(block) + "\n"
        if size + len(text) > room and n > 0:
            left = len(blocks) - n
            out.append(_CUT.format(left=left, s="s" if left != 1 else "") + "\n")
            break
        out.append(text)
        size += len(text)
    return "".join(out).rstrip("\n") + "\n"
