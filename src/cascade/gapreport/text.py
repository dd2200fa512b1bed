"""The gaps report for a terminal: rich tables and colour. Without colour (a pipe, a file,
`--no-color`, `NO_COLOR`) the text format is `plain.py` instead, which never imports rich.

Every piece of plan text has its control characters shown, never obeyed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cascade.controls import one_line
from cascade.diagnostics import Severity
from cascade.gapreport.model import Gap, GapReport, Health, KindGroup
from cascade.gapreport.words import (
    DUE_HEADERS,
    NOTHING_DUE,
    counted,
    counts_phrase,
    due_rows,
    health_rows,
    id_list,
    matrix_notes,
    plural,
    summary_line,
    unit_gaps,
    waived_phrase,
)
from cascade.page import terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# rich spends about a millisecond a table row: on a terminal, long lists are cut (a pipe or
# `--format markdown` shows everything).
TERMINAL_ROWS = 50


def _health(console: Console, health: Health) -> None:
    table = terminal.table("measure", "value")
    table.columns[1].justify = "right"
    for label, value in health_rows(health)[:5]:
        table.add_row(terminal.text(label), terminal.text(value))
    status = terminal.text(str(health.on_track), "green")
    status.append(" / ")
    status.append(str(health.at_risk), "yellow" if health.at_risk else "")
    status.append(" / ")
    status.append(str(health.off_track), "red" if health.off_track else "")
    table.add_row(terminal.text("Active goals on track / at risk / off track"), status)
    for label, value in health_rows(health)[6:]:
        table.add_row(terminal.text(label), terminal.text(value, "dim"))
    console.print(table)


def _subject(gap: Gap) -> Text:
    text = terminal.text(gap.subject or "—", "bold")
    if gap.title:
        text.append("\n")
        text.append(one_line(gap.title))
    if gap.kind == "kpi" and gap.goal:
        text.append(f" (goal {one_line(gap.goal)})", "dim")
    return text


def _kind(console: Console, group: KindGroup) -> None:
    heading = terminal.text(f"{group.rule} {group.name}", "bold")
    heading.append(" · ")
    heading.append(
        counted(len(group.gaps), group.severity), terminal.SEVERITY_STYLE[group.severity]
    )
    heading.append(f" · {one_line(group.summary)}", "dim")
    console.print()
    console.print(heading)
    table = terminal.table("subject", "owner", "finding", "where")
    table.columns[0].ratio = 3
    table.columns[2].ratio = 4
    table.columns[3].no_wrap = True
    for gap in group.gaps[:TERMINAL_ROWS]:
        table.add_row(
            _subject(gap),
            terminal.text(gap.owner_name or gap.owner or "—"),
            terminal.text(gap.detail),
            terminal.text(f"{gap.location.file}:{gap.location.line}", "dim"),
        )
    console.print(table)
    if len(group.gaps) > TERMINAL_ROWS:
        console.print(
            terminal.text(
                f"… and {len(group.gaps) - TERMINAL_ROWS} more {group.rule} gaps: pipe the "
                "output (`| less`) or use `--format markdown` to see them all.",
                "dim",
            )
        )


def _front(console: Console, report: GapReport) -> None:
    """The title, date, scope, vision and a word on the plan's errors."""
    title = terminal.text("Cascade gaps", "bold")
    if report.organization:
        title.append(f": {one_line(report.organization)}", "bold")
    console.print(title)
    meta = f"As of {report.as_of} · {report.files} plan file{'s' if report.files != 1 else ''}"
    if report.scope_label:
        meta += f" · only {one_line(report.scope_label)}"
    console.print(terminal.text(meta, "dim"))
    if report.vision:
        console.print(terminal.text(f"Vision: {report.vision}", "italic"))
    if report.plan_errors:
        console.print(
            terminal.text(
                f"The plan has {report.plan_errors} error{'s' if report.plan_errors != 1 else ''} "
                "(listed on standard error; run `cascade validate`): the figures below may be "
                "incomplete.",
                "bold red",
            )
        )


def _health_section(console: Console, report: GapReport) -> None:
    terminal.heading(console, "Health of the cascade")
    _health(console, report.health)
    found = terminal.text(counts_phrase(report.counts), "bold")
    waived = waived_phrase(len(report.waived), report.show_waived)
    if waived:
        found.append(f" · {waived}")
    console.print(found)


def _kinds(console: Console, report: GapReport) -> None:
    terminal.heading(console, "Gaps by kind, most serious first")
    if not report.kinds:
        console.print(terminal.text("No gaps found.", "green"))
    for group in report.kinds:
        _kind(console, group)


def _units(console: Console, report: GapReport) -> None:
    terminal.heading(console, "Gaps by unit")
    if not report.units:
        console.print(terminal.text("No gaps found.", "green"))
    else:
        shown = [s for s in Severity if s is not Severity.ERROR or report.counts.get(s)]
        table = terminal.table("unit", *(plural(s) for s in shown), "gaps")
        for column in table.columns[1 : 1 + len(shown)]:
            column.justify = "right"
        table.columns[-1].ratio = 1
        for unit in report.units:
            counts = [unit.count(s) for s in shown]
            table.add_row(
                terminal.text(unit.name, "bold"),
                *(
                    terminal.text(str(n), terminal.SEVERITY_STYLE[s] if n else "")
                    for s, n in zip(shown, counts, strict=True)
                ),
                terminal.text(unit_gaps(unit.gaps)),
            )
        console.print(table)


def _matrix(console: Console, report: GapReport) -> None:
    terminal.heading(console, "Alignment: objectives by department")
    matrix = report.matrix
    if not matrix.objectives or not matrix.departments:
        console.print(terminal.text("No objectives or no departments to compare."))
    else:
        table = terminal.table("objective", *(one_line(name) for _, name in matrix.departments))
        table.columns[0].overflow = "ellipsis"
        table.columns[0].no_wrap = True
        table.columns[0].max_width = 40
        for column, (_, name) in zip(table.columns[1:], matrix.departments, strict=True):
            column.justify = "center"
            # Wrap long department names between words, never inside one.
            column.min_width = max((len(word) for word in one_line(name).split()), default=1)
        empty_rows = set(matrix.empty_objectives)
        for (oid, objective), row in zip(matrix.objectives, matrix.cells, strict=True):
            label = terminal.text(oid, "bold red" if oid in empty_rows else "bold")
            label.append(f" {one_line(objective)}")
            table.add_row(
                label, *(terminal.text(str(n)) if n else terminal.text("·", "dim") for n in row)
            )
        console.print(table)
        console.print(
            terminal.text(
                "Each cell counts the department's goals (its teams' and people's included) "
                "whose line of sight reaches the objective.",
                "dim",
            )
        )
        names = dict(matrix.departments)
        rows_note, columns_note = matrix_notes(report)
        empty_columns = [names[d] for d in matrix.empty_departments]
        console.print(
            terminal.text(f"{rows_note}: ")
            + terminal.text(
                ", ".join(matrix.empty_objectives) or "none", "red" if empty_rows else ""
            )
        )
        console.print(
            terminal.text(f"{columns_note}: ")
            + terminal.text(", ".join(empty_columns) or "none", "red" if empty_columns else "")
        )


def _overloaded(console: Console, report: GapReport) -> None:
    terminal.heading(console, f"Owners over the limit of {report.limit} active goals")
    if not report.overloaded:
        console.print(
            terminal.text(f"Nobody holds more than {report.limit} active goals.", "green")
        )
    else:
        table = terminal.table("owner", "goals", "which")
        for over in report.overloaded:
            table.add_row(
                terminal.text(f"{over.name} ({over.kind})", "bold"),
                terminal.text(str(len(over.goals)), "yellow"),
                terminal.text(id_list(over.goals)),
            )
        console.print(table)


def _due(console: Console, report: GapReport) -> None:
    terminal.heading(console, "Readings due")
    rows = due_rows(report)
    if not rows:
        console.print(terminal.text(NOTHING_DUE, "green"))
        return
    table = terminal.table(*DUE_HEADERS)
    for row in rows[:TERMINAL_ROWS]:
        late = row[-1] != "due"
        table.add_row(
            terminal.text(row[0], "bold"),
            *(terminal.text(cell) for cell in row[1:-1]),
            terminal.text(row[-1], "red" if late else "yellow"),
        )
    console.print(table)
    if len(rows) > TERMINAL_ROWS:
        console.print(terminal.text(f"… and {len(rows) - TERMINAL_ROWS} more KPIs.", "dim"))


def _questions(console: Console, report: GapReport) -> None:
    terminal.heading(console, "Questions for the meeting")
    if not report.questions:
        console.print(terminal.text("None: the cascade has no open gaps.", "green"))
    questions = report.questions[:TERMINAL_ROWS]
    terminal.numbered(console, [terminal.text(question.text) for question in questions])
    if len(report.questions) > TERMINAL_ROWS:
        console.print(
            terminal.text(f"… and {len(report.questions) - TERMINAL_ROWS} more questions.", "dim")
        )


def _waived(console: Console, report: GapReport) -> None:
    if report.show_waived:
        terminal.heading(console, "Waived")
        if not report.waived:
            console.print(terminal.text("Nothing is waived."))
        else:
            table = terminal.table("rule", "subject", "reason", "where")
            table.columns[3].no_wrap = True
            for gap in report.waived[:TERMINAL_ROWS]:
                table.add_row(
                    terminal.text(f"{gap.rule} {gap.name}"),
                    _subject(gap),
                    terminal.text(gap.reason or ""),
                    terminal.text(f"{gap.location.file}:{gap.location.line}", "dim"),
                )
            console.print(table)


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
    """The report for a terminal; without `color`, the plain text of `plain.py`."""
    if not color:
        from cascade.gapreport import plain

        return plain.render(report, quiet=quiet)

    def draw(console: Console) -> None:
        for section in _SECTIONS:
            section(console, report)
        if not quiet:
            console.print()
            console.print(terminal.text(summary_line(report), "bold"))

    return terminal.printed(draw, width)
