"""The close report as Markdown, for a retrospective's notes: every plan text escaped."""

from __future__ import annotations

import re

from cascade.closereport import words
from cascade.closereport.model import CloseReport
from cascade.page.markdown import escape, table

NUMBER = re.compile(r"\d+(\.\d+)?|—")
# A goal's depth in the tree, shown in a table cell (leading spaces would be dropped).
INDENT = "↳ "


def _front(report: CloseReport) -> list[str]:
    title = f"# Cascade close: {escape(report.period)}"
    if report.organization:
        title += f" · {escape(report.organization)}"
    lines = [title, "", words.judged(report), "", f"**{words.counts(report)}**", ""]
    if report.plan_errors:
        errors = f"{report.plan_errors} error{'s' if report.plan_errors != 1 else ''}"
        lines += [
            f"> The plan has {errors} (run `cascade validate`): the scores may be incomplete.",
            "",
        ]
    return lines


def _cell(text: str) -> str:
    """A cell escaped as plan text, but for the report's own numbers (`0.83`, `—`)."""
    return text if NUMBER.fullmatch(text) else escape(text)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    return [*table(headers, [[_cell(cell) for cell in row] for row in rows]), ""]


def _tree(report: CloseReport) -> list[str]:
    lines = ["## Objectives and the goals that support them", ""]
    if not report.tree:
        return [*lines, words.NO_GOALS, ""]
    rows = words.tree_rows(report, "")
    for row, (depth, _) in zip(rows, report.tree, strict=True):
        if depth:
            row[2] = "\u2003" * (depth - 1) + INDENT + row[2]
    return lines + _table(words.TREE_HEADERS, rows)


def _departments(report: CloseReport) -> list[str]:
    lines = ["## By department", ""]
    rows = words.department_rows(report)
    if not rows:
        return [*lines, "No department has a goal in this period.", ""]
    return lines + _table(words.DEPARTMENT_HEADERS, rows)


def _sections(report: CloseReport) -> list[str]:
    lines: list[str] = []
    for title, headers, rows, none in words.sections(report):
        lines += [f"## {title}", ""]
        lines += _table(headers, rows) if rows else [none, ""]
    return lines


def _questions(report: CloseReport) -> list[str]:
    lines = ["## Questions for the retrospective", ""]
    if not report.questions:
        return [*lines, "None: every goal scored as planned.", ""]
    lines += [f"{n}. {escape(q)}" for n, q in enumerate(report.questions, start=1)]
    return [*lines, ""]


_SECTIONS = (_front, _tree, _departments, _sections, _questions)


def render(report: CloseReport) -> str:
    lines = [line for section in _SECTIONS for line in section(report)]
    return "\n".join(lines).rstrip("\n") + "\n"
