"""The gaps report as plain text, for pipes, files and `--no-color`: no escape sequence at all,
a fixed width, and fast on plans with tens of thousands of gaps (no rich on this path)."""

from __future__ import annotations

from cascade.controls import one_line
from cascade.diagnostics import Severity
from cascade.gapreport.model import Gap, GapReport
from cascade.gapreport.words import (
    DUE_HEADERS,
    NOTHING_DUE,
    counted,
    counts_phrase,
    due_rows,
    health_rows,
    id_list,
    matrix_notes,
    place,
    plural,
    summary_line,
    unit_gaps,
    waived_phrase,
)
from cascade.page.plain import INDENT, Column, heading, paragraph, table, tidy

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
    lines += paragraph(title or gap.detail, indent, lead)
    if title:
        lines += paragraph(gap.detail, indent)
    owner = one_line(gap.owner_name or gap.owner or "no owner")
    where = f"{gap.location.file}:{gap.location.line}"
    lines += paragraph(f"{owner} · {place(gap)} · {where}", indent)
    if gap.reason is not None:
        lines += paragraph(f"waived: {gap.reason}", indent)
    return lines


def _front(report: GapReport) -> list[str]:
    """The title, date, scope, vision and a word on the plan's errors."""
    out: list[str] = []
    title = "Cascade gaps" + (f": {one_line(report.organization)}" if report.organization else "")
    out.append(title)
    meta = f"As of {report.as_of} · {report.files} plan file{'s' if report.files != 1 else ''}"
    if report.scope_label:
        meta += f" · only {one_line(report.scope_label)}"
    out.append(meta)
    if report.vision:
        out += paragraph(f"Vision: {report.vision}", "", "")
    if report.plan_errors:
        out += paragraph(
            f"The plan has {report.plan_errors} error{'s' if report.plan_errors != 1 else ''} "
            "(listed on standard error; run `cascade validate`): the figures below may be "
            "incomplete.",
            "",
            "",
        )
    return out


def _health(report: GapReport) -> list[str]:
    out = heading("Health of the cascade")
    out += table([Column("measure"), Column("value", right=True)], health_rows(report.health))
    found = counts_phrase(report.counts)
    waived = waived_phrase(len(report.waived), report.show_waived)
    out += ["", INDENT + found + (f" · {waived}" if waived else "")]
    return out


def _kinds(report: GapReport) -> list[str]:
    out = heading("Gaps by kind, most serious first")
    if not report.kinds:
        out.append(INDENT + "No gaps found.")
    for group in report.kinds:
        out += paragraph(
            f"{group.rule} {group.name} · {counted(len(group.gaps), group.severity)} · "
            f"{group.summary}",
            "",
            "",
        )
        width = _subject_width(group.gaps)
        for gap in group.gaps:
            out += _gap_block(gap, width)
        out.append("")
    return out


def _units(report: GapReport) -> list[str]:
    out = heading("Gaps by unit")
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
    return out


def _matrix(report: GapReport) -> list[str]:
    out = heading("Alignment: objectives by department")
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
        out += paragraph(
            "Each cell counts the department's goals (its teams' and people's included) whose "
            "line of sight reaches the objective."
        )
        names = dict(matrix.departments)
        rows_note, columns_note = matrix_notes(report)
        out += paragraph(f"{rows_note}: " + (", ".join(matrix.empty_objectives) or "none"))
        out += paragraph(
            f"{columns_note}: " + (", ".join(names[d] for d in matrix.empty_departments) or "none")
        )
    return out


def _overloaded(report: GapReport) -> list[str]:
    out = heading(f"Owners over the limit of {report.limit} active goals")
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
    return out


def _due(report: GapReport) -> list[str]:
    out = heading("Readings due")
    rows = due_rows(report)
    if not rows:
        out.append(INDENT + NOTHING_DUE)
    else:
        columns = [Column(header, wrap=header == "KPI") for header in DUE_HEADERS]
        out += table(columns, [[one_line(cell) for cell in row] for row in rows])
    return out


def _questions(report: GapReport) -> list[str]:
    out = heading("Questions for the meeting")
    if not report.questions:
        out.append(INDENT + "None: the cascade has no open gaps.")
    digits = len(str(len(report.questions)))
    for number, question in enumerate(report.questions, start=1):
        first = f"{INDENT}{str(number).rjust(digits)}. "
        out += paragraph(question.text, " " * len(first), first)
    return out


def _waived(report: GapReport) -> list[str]:
    out: list[str] = []
    if report.show_waived:
        out += heading("Waived")
        if not report.waived:
            out.append(INDENT + "Nothing is waived.")
        width = _subject_width(report.waived)
        for gap in report.waived:
            out += paragraph(f"{gap.rule} {gap.name}", INDENT)
            out += _gap_block(gap, width)
    return out


_SECTIONS = (_front, _health, _kinds, _units, _matrix, _overloaded, _due, _questions, _waived)


def render(
    report: GapReport, *, color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    del color, width  # plain text has a fixed width and no colour
    out = [line for section in _SECTIONS for line in section(report)]
    if not quiet:
        out += ["", summary_line(report)]
    return tidy(out)
