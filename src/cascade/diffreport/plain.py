"""The diff report as plain text, for a terminal, a pipe or a file: a function per
section, laid out with `page.plain`."""

from __future__ import annotations

from collections.abc import Callable

from cascade.changes import Change
from cascade.controls import one_line
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
from cascade.page.plain import INDENT, Column, heading, paragraph, table, tidy

_MORE = INDENT + "  "


def _change(change: Change) -> list[str]:
    return paragraph(
        f"{label(change)}: {what(change)} · {change.file}:{change.line}", _MORE, INDENT
    )


def _finding(diagnostic: Diagnostic) -> list[str]:
    where = f"{diagnostic.location.file}:{diagnostic.location.line}"
    text = f"{diagnostic.rule} {diagnostic.name} ({diagnostic.severity.value}): "
    return paragraph(f"{text}{diagnostic.message} · {where}", _MORE, INDENT)


def _moved(moved: Moved, said: str) -> list[str]:
    return paragraph(f'goal {moved.id} "{one_line(moved.title)}": {said}', _MORE, INDENT)


def _front(report: DiffReport) -> list[str]:
    base, head = one_line(report.base.label), one_line(report.head.label)
    return [
        f"Cascade diff: {base} → {head}",
        one_line(sides_line(report)),
        "",
        summary_line(report),
    ]


def _attention(report: DiffReport) -> list[str]:
    attention = report.attention()
    if report.empty or not attention:
        return []
    out = heading("Needs attention")
    for diagnostic in attention.findings:
        out += _finding(diagnostic)
    for change in attention.eased:
        out += _change(change)
    for moved in attention.off_track:
        out += _moved(moved, "now off track")
    return out


def _changes(report: DiffReport) -> list[str]:
    out: list[str] = []
    for title, changes in grouped(report.changes):
        out += heading(f"Changes: {title}")
        for change in changes:
            out += _change(change)
    return out


def _moves(title: str, found: list[Moved], said: Callable[[Moved], str]) -> list[str]:
    if not found:
        return []
    out = heading(title)
    for moved in found:
        out += _moved(moved, said(moved))
    return out


def _status(report: DiffReport) -> list[str]:
    return _moves("Status at the date", report.status, band)


def _progress(report: DiffReport) -> list[str]:
    return _moves("Progress at the date", report.progress, progress)


def _findings(report: DiffReport) -> list[str]:
    out: list[str] = []
    for title, found in (("New findings", report.new), ("Resolved findings", report.resolved)):
        if found:
            out += heading(title)
            for diagnostic in found:
                out += _finding(diagnostic)
    return out


def _health(report: DiffReport) -> list[str]:
    if report.empty:
        return []
    columns = [
        Column("measure"),
        Column("before", right=True),
        Column("after", right=True),
        Column("change", right=True),
    ]
    return heading("Health of the cascade") + table(columns, health_rows(report))


_SECTIONS = (_front, _attention, _changes, _status, _progress, _findings, _health)


def render(
    report: DiffReport, *, color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    del color, width, quiet  # plain text has a fixed width and no colour
    return tidy([line for section in _SECTIONS for line in section(report)])
