"""The gaps report as GitHub-flavoured Markdown, ready to paste into meeting notes or a CI
job summary. Every piece of plan text is escaped, so a title cannot break a table."""

from __future__ import annotations

from cascade.controls import one_line
from cascade.diagnostics import Severity
from cascade.gapreport.model import Gap, GapReport, Health
from cascade.gapreport.words import (
    DUE_HEADERS,
    NOTHING_DUE,
    counts_phrase,
    due_rows,
    health_rows,
    id_list,
    matrix_notes,
    place,
    unit_gaps,
    waived_phrase,
)
from cascade.page.markdown import code, escape, table


def _subject(gap: Gap) -> str:
    subject = f"**{escape(gap.subject or '—')}**"
    if gap.title:
        subject += f" {escape(gap.title)}"
    if gap.kind == "kpi" and gap.goal:
        subject += f" (goal {escape(gap.goal)})"
    return subject


def _health(health: Health) -> list[str]:
    return table(["measure", "value"], [[escape(m), v] for m, v in health_rows(health)])


def _front(report: GapReport) -> list[str]:
    """The title, date, scope, vision and a word on the plan's errors."""
    lines: list[str] = []
    title = "Cascade gaps"
    if report.organization:
        title += f": {escape(report.organization)}"
    lines.append(f"# {title}")
    lines.append("")
    meta = f"As of {report.as_of} · {report.files} plan file{'s' if report.files != 1 else ''}"
    if report.scope_label:
        meta += f" · only {escape(report.scope_label)}"
    lines.append(meta)
    if report.vision:
        lines += ["", f"> **Vision:** {escape(report.vision)}"]
    if report.plan_errors:
        lines += [
            "",
            f"> **Warning:** the plan has {report.plan_errors} "
            f"error{'s' if report.plan_errors != 1 else ''} (run `cascade validate`); "
            "the figures below may be incomplete.",
        ]
    return lines


def _health_section(report: GapReport) -> list[str]:
    lines: list[str] = []
    lines += ["", "## Health of the cascade", "", *_health(report.health), ""]
    summary = counts_phrase(report.counts)
    waived = waived_phrase(len(report.waived), report.show_waived)
    lines.append(f"**{summary}**" + (f" · {waived}" if waived else ""))
    return lines


def _kinds(report: GapReport) -> list[str]:
    lines: list[str] = []
    lines += ["", "## Gaps by kind", ""]
    if not report.kinds:
        lines += ["No gaps found.", ""]
    for group in report.kinds:
        count = len(group.gaps)
        lines.append(
            f"### {group.rule} {group.name} · {count} {_severity_word(group.severity, count)}"
        )
        lines += ["", f"_{one_line(group.summary)}_", ""]
        rows = [
            [
                _subject(gap),
                escape(gap.owner_name or gap.owner or "—"),
                escape(place(gap)),
                escape(gap.detail),
                code(f"{gap.location.file}:{gap.location.line}"),
            ]
            for gap in group.gaps
        ]
        lines += [*table(["subject", "owner", "unit", "finding", "where"], rows), ""]
    return lines


def _units(report: GapReport) -> list[str]:
    lines: list[str] = []
    lines += ["## Gaps by unit", ""]
    if not report.units:
        lines += ["No gaps found.", ""]
    else:
        rows = [
            [
                escape(group.name),
                str(group.count(Severity.ERROR) + group.count(Severity.WARNING)),
                str(group.count(Severity.INFO)),
                escape(unit_gaps(group.gaps)),
            ]
            for group in report.units
        ]
        lines += [*table(["unit", "warnings", "info", "gaps"], rows), ""]
    return lines


def _matrix(report: GapReport) -> list[str]:
    lines: list[str] = []
    lines += ["## Alignment: objectives by department", ""]
    matrix = report.matrix
    if not matrix.objectives or not matrix.departments:
        lines += ["No objectives or no departments to compare.", ""]
    else:
        header = ["objective", *(escape(name) for _, name in matrix.departments)]
        rows = [
            [f"**{escape(oid)}** {escape(title)}", *(str(n) if n else "·" for n in row)]
            for (oid, title), row in zip(matrix.objectives, matrix.cells, strict=True)
        ]
        lines += [*table(header, rows), ""]
        lines.append(
            "Each cell counts the department's goals (its teams' and people's included) whose "
            "line of sight reaches the objective."
        )
        lines.append("")
        empty_rows = matrix.empty_objectives
        empty_columns = matrix.empty_departments
        names = dict(matrix.departments)
        rows_note, columns_note = matrix_notes(report)
        lines.append(
            f"- {rows_note}: "
            + (", ".join(f"**{escape(o)}**" for o in empty_rows) if empty_rows else "none")
        )
        lines.append(
            f"- {columns_note}: "
            + (
                ", ".join(f"**{escape(names[d])}**" for d in empty_columns)
                if empty_columns
                else "none"
            )
        )
        lines.append("")
    return lines


def _overloaded(report: GapReport) -> list[str]:
    lines: list[str] = []
    lines += [f"## Owners over the limit of {report.limit} active goals", ""]
    if not report.overloaded:
        lines += [f"Nobody holds more than {report.limit} active goals.", ""]
    else:
        rows = [
            [
                f"**{escape(over.name)}** ({escape(over.kind)})",
                str(len(over.goals)),
                escape(id_list(over.goals)),
            ]
            for over in report.overloaded
        ]
        lines += [*table(["owner", "goals", "which"], rows), ""]
    return lines


def _due(report: GapReport) -> list[str]:
    lines = ["## Readings due", ""]
    rows = due_rows(report)
    if not rows:
        return [*lines, NOTHING_DUE, ""]
    escaped = [[escape(cell) for cell in row] for row in rows]
    return [*lines, *table(DUE_HEADERS, escaped), ""]


def _questions(report: GapReport) -> list[str]:
    lines: list[str] = []
    lines += ["## Questions for the meeting", ""]
    if not report.questions:
        lines.append("None: the cascade has no open gaps.")
    for number, question in enumerate(report.questions, start=1):
        lines.append(f"{number}. {escape(question.text)}")
    lines.append("")
    return lines


def _waived(report: GapReport) -> list[str]:
    lines: list[str] = []
    if report.show_waived:
        lines += ["## Waived", ""]
        if not report.waived:
            lines += ["Nothing is waived.", ""]
        else:
            rows = [
                [
                    f"{gap.rule} {gap.name}",
                    _subject(gap),
                    escape(gap.reason or ""),
                    code(f"{gap.location.file}:{gap.location.line}"),
                ]
                for gap in report.waived
            ]
            lines += [*table(["rule", "subject", "reason", "where"], rows), ""]
    return lines


_SECTIONS = (
    _front,
    _health_section,
    _kinds,
    _units,
    _matrix,
    _overloaded,
    _due,
    _questions,
    _waived,
)


def render(
    report: GapReport, *, color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    del color, width, quiet  # Markdown has neither
    lines = [line for section in _SECTIONS for line in section(report)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _severity_word(severity: Severity, count: int) -> str:
    if severity is Severity.INFO:
        return "info"
    return f"{severity.value}{'s' if count != 1 else ''}"
