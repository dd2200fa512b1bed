"""The gaps report as plain text, for pipes, files and `--no-color`: no escape sequence at all,
a fixed width, and fast on plans with tens of thousands of gaps (no rich on this path)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from cascade.diagnostics import Severity
from cascade.gapreport.model import Gap, GapReport
from cascade.gapreport.words import (
    counted,
    counts_phrase,
    health_rows,
    id_list,
    matrix_notes,
    place,
    plural,
    summary_line,
    unit_gaps,
    waived_phrase,
)
from cascade.report.base import one_line

WIDTH = 100
INDENT = "  "


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    right: bool = False  # right-aligned (numbers)
    wrap: bool = False  # may wrap; the other columns keep their natural width
    limit: int | None = None  # cut longer cells with "…" (one line)


def wrap(text: str, width: int, lead: str = "", indent: str = "") -> list[str]:
    """`textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=indent,
    break_on_hyphens=False)`, line for line; several times quicker on plain prose.

    Text of words joined by single spaces, none too long for a line, is filled here: a
    report of tens of thousands of gaps spent most of its time in textwrap. Anything else
    (tabs, runs of spaces, long words, other blanks) goes to textwrap itself.
    """
    words = text.split(" ")
    room, rest = width - len(lead), width - len(indent)
    longest = max(map(len, words))
    if not text or longest > min(room, rest) or " ".join(text.split()) != text:
        return textwrap.wrap(
            text,
            width,
            initial_indent=lead,
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
        )
    lines: list[str] = []
    start, used = 0, len(words[0])
    for i in range(1, len(words)):
        size = len(words[i])
        if used + 1 + size <= room:
            used += 1 + size
            continue
        lines.append((indent if lines else lead) + " ".join(words[start:i]))
        start, used, room = i, size, rest
    lines.append((indent if lines else lead) + " ".join(words[start:]))
    return lines


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int = WIDTH
) -> list[str]:
    """A plain table: header, a rule, rows; wrap-able columns share what width is left."""
    gap = 3
    cells = [[one_line(cell) for cell in row] for row in rows]
    for row in cells:
        for i, column in enumerate(columns):
            if column.limit is not None and len(row[i]) > column.limit:
                row[i] = row[i][: column.limit - 1].rstrip() + "…"
    natural = [
        max([len(word) for word in column.header.split()] + [len(row[i]) for row in cells])
        for i, column in enumerate(columns)
    ]
    widths = list(natural)
    room = width - len(INDENT) - gap * (len(columns) - 1)
    flexible = [i for i, column in enumerate(columns) if column.wrap]
    fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
    if flexible and fixed + sum(widths[i] for i in flexible) > room:
        share = max(12, (room - fixed) // len(flexible))
        for i in flexible:
            widths[i] = min(natural[i], share)
    lines: list[str] = []
    headers = [wrap(column.header, widths[i]) or [""] for i, column in enumerate(columns)]
    lines.extend(_row(columns, widths, headers, gap))
    lines.append(INDENT + "-" * (sum(widths) + gap * (len(columns) - 1)))
    for row in cells:
        wrapped = [
            (wrap(cell, widths[i]) or [""]) if columns[i].wrap else [cell]
            for i, cell in enumerate(row)
        ]
        lines.extend(_row(columns, widths, wrapped, gap))
    return lines


def _row(
    columns: Sequence[Column], widths: list[int], cells: list[list[str]], gap: int
) -> list[str]:
    height = max(len(cell) for cell in cells)
    out: list[str] = []
    for n in range(height):
        parts = []
        for i, column in enumerate(columns):
            text = cells[i][n] if n < len(cells[i]) else ""
            parts.append(text.rjust(widths[i]) if column.right else text.ljust(widths[i]))
        out.append((INDENT + (" " * gap).join(parts)).rstrip())
    return out


def _paragraph(text: str, indent: str = INDENT, first: str | None = None) -> list[str]:
    lead = first if first is not None else indent
    text = one_line(text)
    if len(lead) + len(text) <= WIDTH:  # most lines fit
        return [lead + text]
    return wrap(text, WIDTH, lead, indent) or [indent.rstrip()]


def _heading(title: str) -> list[str]:
    return ["", title.upper(), ""]


SUBJECT_WIDTH = 20  # longer ids put their title on the next line


def _subject_width(gaps: list[Gap]) -> int:
    """One column for the subjects of a list, as wide as its longest id (within reason)."""
    longest = max((len(one_line(gap.subject or "—")) for gap in gaps), default=0)
    return max(6, min(longest, SUBJECT_WIDTH))


def _gap_block(gap: Gap, width: int) -> list[str]:
    """One gap: its subject and title, what is wrong, then owner, unit and file:line."""
    subject = one_line(gap.subject or "—")
    title = one_line(gap.title or "")
    if gap.kind == "kpi" and gap.goal:
        title += f" (goal {one_line(gap.goal)})"
    indent = INDENT + " " * (width + 2)
    lines: list[str] = []
    if len(subject) > width:
        lines.append(INDENT + subject)
        lead = indent
    else:
        lead = f"{INDENT}{subject.ljust(width)}  "
    lines += _paragraph(title or gap.detail, indent, lead)
    if title:
        lines += _paragraph(gap.detail, indent)
    owner = one_line(gap.owner_name or gap.owner or "no owner")
    where = f"{gap.location.file}:{gap.location.line}"
    lines += _paragraph(f"{owner} · {place(gap)} · {where}", indent)
    if gap.reason is not None:
        lines += _paragraph(f"waived: {gap.reason}", indent)
    return lines


def render(
    report: GapReport, *, color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    del color, width  # plain text has a fixed width and no colour
    out: list[str] = []
    title = "Cascade gaps" + (f": {one_line(report.organization)}" if report.organization else "")
    out.append(title)
    meta = f"As of {report.as_of} · {report.files} plan file{'s' if report.files != 1 else ''}"
    if report.scope_label:
        meta += f" · only {one_line(report.scope_label)}"
    out.append(meta)
    if report.vision:
        out += _paragraph(f"Vision: {report.vision}", "", "")
    if report.plan_errors:
        out += _paragraph(
            f"The plan has {report.plan_errors} error{'s' if report.plan_errors != 1 else ''} "
            "(listed on standard error; run `cascade validate`): the figures below may be "
            "incomplete.",
            "",
            "",
        )

    out += _heading("Health of the cascade")
    out += table([Column("measure"), Column("value", right=True)], health_rows(report.health))
    found = counts_phrase(report.counts)
    waived = waived_phrase(len(report.waived), report.show_waived)
    out += ["", INDENT + found + (f" · {waived}" if waived else "")]

    out += _heading("Gaps by kind, most serious first")
    if not report.kinds:
        out.append(INDENT + "No gaps found.")
    for group in report.kinds:
        out += _paragraph(
            f"{group.rule} {group.name} · {counted(len(group.gaps), group.severity)} · "
            f"{group.summary}",
            "",
            "",
        )
        width = _subject_width(group.gaps)
        for gap in group.gaps:
            out += _gap_block(gap, width)
        out.append("")

    out += _heading("Gaps by unit")
    if not report.units:
        out.append(INDENT + "No gaps found.")
    else:
        shown = [s for s in Severity if s is not Severity.ERROR or report.counts.get(s)]
        columns = [
            Column("unit"),
            *(Column(plural(s), right=True) for s in shown),
            Column("gaps", wrap=True),
        ]
        rows = [
            [
                unit.name,
                *(str(unit.count(s)) for s in shown),
                unit_gaps(unit.gaps),
            ]
            for unit in report.units
        ]
        out += table(columns, rows)

    out += _heading("Alignment: objectives by department")
    matrix = report.matrix
    if not matrix.objectives or not matrix.departments:
        out.append(INDENT + "No objectives or no departments to compare.")
    else:
        columns = [
            Column("objective", limit=40),
            *(Column(one_line(name), right=True) for _, name in matrix.departments),
        ]
        rows = [
            [f"{oid} {title}", *(str(n) if n else "·" for n in row)]
            for (oid, title), row in zip(matrix.objectives, matrix.cells, strict=True)
        ]
        out += table(columns, rows)
        out.append("")
        out += _paragraph(
            "Each cell counts the department's goals (its teams' and people's included) whose "
            "line of sight reaches the objective."
        )
        names = dict(matrix.departments)
        rows_note, columns_note = matrix_notes(report)
        out += _paragraph(f"{rows_note}: " + (", ".join(matrix.empty_objectives) or "none"))
        out += _paragraph(
            f"{columns_note}: " + (", ".join(names[d] for d in matrix.empty_departments) or "none")
        )

    out += _heading(f"Owners over the limit of {report.limit} active goals")
    if not report.overloaded:
        out.append(INDENT + f"Nobody holds more than {report.limit} active goals.")
    else:
        out += table(
            [Column("owner"), Column("goals", right=True), Column("which", wrap=True)],
            [
                [f"{over.name} ({over.kind})", str(len(over.goals)), id_list(over.goals)]
                for over in report.overloaded
            ],
        )

    out += _heading("Questions for the meeting")
    if not report.questions:
        out.append(INDENT + "None: the cascade has no open gaps.")
    digits = len(str(len(report.questions)))
    for number, question in enumerate(report.questions, start=1):
        first = f"{INDENT}{str(number).rjust(digits)}. "
        out += _paragraph(question.text, " " * len(first), first)

    if report.show_waived:
        out += _heading("Waived")
        if not report.waived:
            out.append(INDENT + "Nothing is waived.")
        width = _subject_width(report.waived)
        for gap in report.waived:
            out += _paragraph(f"{gap.rule} {gap.name}", INDENT)
            out += _gap_block(gap, width)

    if not quiet:
        out += ["", summary_line(report)]
    text: list[str] = []
    for line in (line.rstrip() for line in out):
        if line or (text and text[-1]):  # one blank line between blocks, never two
            text.append(line)
    return "".join(line + "\n" for line in text)
