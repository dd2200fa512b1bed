"""The close report as plain text: a function per part, the page's blocks."""

from __future__ import annotations

from cascade.closereport import words
from cascade.closereport.model import CloseReport
from cascade.controls import one_line
from cascade.page.plain import INDENT, Column, heading, paragraph, table, tidy


def _front(report: CloseReport) -> list[str]:
    title = f"Cascade close: {one_line(report.period)}"
    if report.organization:
        title += f" · {one_line(report.organization)}"
    out = [title, words.judged(report), words.counts(report)]
    if report.plan_errors:
        out += paragraph(
            f"The plan has {report.plan_errors} error{'s' if report.plan_errors != 1 else ''} "
            "(listed on standard error; run `cascade validate`): the scores may be incomplete.",
            "",
            "",
        )
    return out


def _table(headers: list[str], rows: list[list[str]], wrap: str = "goal") -> list[str]:
    columns = [Column(h, right=h in ("score", "mean"), wrap=h == wrap) for h in headers]
    return table(columns, [[one_line(cell) for cell in row] for row in rows])


def _tree(report: CloseReport) -> list[str]:
    out = heading("Objectives and the goals that support them")
    if not report.tree:
        return [
            *out,
            INDENT + "No goal of this period is scored (draft and dropped goals are not).",
        ]
    return out + _table(words.TREE_HEADERS, words.tree_rows(report, "  "))


def _departments(report: CloseReport) -> list[str]:
    out = heading("By department")
    rows = words.department_rows(report)
    if not rows:
        return [*out, INDENT + "No department has a goal in this period."]
    return out + _table(words.DEPARTMENT_HEADERS, rows, wrap="department")


def _sections(report: CloseReport) -> list[str]:
    out: list[str] = []
    for title, headers, rows, none in words.sections(report):
        out += heading(title)
        out += _table(headers, rows) if rows else [INDENT + none]
    return out


def _questions(report: CloseReport) -> list[str]:
    out = heading("Questions for the retrospective")
    if not report.questions:
        return [*out, INDENT + "None: every goal scored as planned."]
    digits = len(str(len(report.questions)))
    for number, question in enumerate(report.questions, start=1):
        first = f"{INDENT}{str(number).rjust(digits)}. "
        out += paragraph(question, " " * len(first), first)
    return out


_SECTIONS = (_front, _tree, _departments, _sections, _questions)


def render(report: CloseReport) -> str:
    return tidy([line for section in _SECTIONS for line in section(report)])
