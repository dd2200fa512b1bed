"""The plan as tables, for spreadsheets and BI tools: one `Table` per table of the
interchange format, its columns in the documented order, every value the effective one
(defaults applied) and judged at the as-of date. Renderers (CSV, workbook) only format.

A cell is a Python value: text, a number, a boolean, a date, or None for an empty cell.
Lists are joined here, as the format says (`;`, with `\\;` and `\\\\` inside an item).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from cascade.diagnostics import Diagnostic
from cascade.gapreport.model import matrix_of
from cascade.model import Department, Goal, Origin, Person, Team
from cascade.rules import Context

Cell = str | int | float | bool | datetime.date | None
BANDS = {"on track": "on_track", "at risk": "at_risk", "off track": "off_track"}
# Columns that hold a share from 0 to 1, shown as a percentage in a workbook.
PERCENT = frozenset({"progress", "expected", "confidence"})


@dataclass
class Table:
    """One table: its name (`goals`), the sheet's name (`Goals`), columns and rows."""

    name: str
    sheet: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


TABLES = ("organization", "periods", "units", "goals", "kpis", "readings", "gaps", "matrix")
SHEETS = {
    "organization": "Organization",
    "periods": "Periods",
    "units": "Units",
    "goals": "Goals",
    "kpis": "KPIs",
    "readings": "Readings",
    "gaps": "Gaps",
    "matrix": "Matrix",
}
COLUMNS = {
    "organization": ["key", "value"],
    "periods": ["id", "start", "end", "parent"],
    "units": ["id", "kind", "name", "department", "team", "lead", "email", "role"],
    "goals": [
        "id", "level", "title", "unit", "unit_name", "owner", "owner_name", "supports",
        "period", "start", "due", "status", "commitment", "perspective", "confidence",
        "progress", "expected", "status_band", "tags", "depends_on", "description",
        "file", "line",
    ],
    "kpis": [
        "id", "goal", "name", "kind", "unit", "baseline", "target", "current", "as_of",
        "direction", "range_low", "range_high", "done", "owner", "source", "frequency",
        "progress", "stale", "file", "line",
    ],
    "readings": ["kpi", "date", "value", "note", "confidence", "by", "file", "line"],
    "gaps": ["rule", "name", "severity", "subject", "message", "hint", "file", "line", "column"],
}  # fmt: skip


def joined(items: Iterable[str]) -> str:
    """Items in one cell: `A;B`, a `;` or `\\` inside an item escaped."""
    return ";".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class _Tables:
    """Builds every table from the rules' view of the plan and the run's findings."""

    def __init__(self, context: Context, findings: list[Diagnostic]) -> None:
        self.context = context
        self.plan = context.plan
        self.hierarchy = context.hierarchy
        self.progress = context.progress
        self.findings = findings
        self.people = {person.id: person for person in self.plan.people}
        organization = self.plan.organization
        self.default_period = organization.period if organization else None

    def where(self, origin: Origin | None) -> tuple[str | None, int | None]:
        location = self.context.where(origin)
        if location.line == 0:
            return None, None
        return location.file, location.line

    def name_of(self, person: str | None) -> str | None:
        found = self.people.get(person or "")
        return found.name if found is not None else None

    def organization(self) -> list[list[Cell]]:
        org = self.plan.organization
        if org is None:
            return []
        return [
            ["name", org.name],
            ["vision", org.vision],
            ["mission", org.mission],
            ["values", "; ".join(org.values) if org.values else None],
            ["period", org.period],
        ]

    def periods(self) -> list[list[Cell]]:
        return [[p.id, p.start, p.end, p.parent] for p in self.plan.periods]

    def units(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        hierarchy = self.hierarchy
        for unit in self.plan.units():
            if isinstance(unit, Department):
                rows.append([unit.id, "department", unit.name, None, None, unit.lead, None, None])
            elif isinstance(unit, Team):
                rows.append(
                    [unit.id, "team", unit.name, unit.department, None, unit.lead, None, None]
                )
            elif isinstance(unit, Person):
                department = hierarchy.department_of(unit.id)
                rows.append(
                    [
                        unit.id,
                        "person",
                        unit.name,
                        department,
                        unit.team,
                        None,
                        unit.email,
                        unit.role,
                    ]
                )
        return rows

    def goals(self) -> list[list[Cell]]:
        return [self.goal(goal) for goal in self.plan.goals()]

    def goal(self, goal: Goal) -> list[Cell]:
        hierarchy, progress = self.hierarchy, self.progress
        unit = hierarchy.units.get(goal.unit or "")
        owner = hierarchy.owner_of(goal)
        supports = [
            s.goal if s.weight == 1 else f"{s.goal}*{_number(s.weight)}" for s in goal.supports
        ]
        start, due = goal.start, goal.due
        status = progress.status(goal) if goal.status == "active" else None
        band = (
            (BANDS.get(status, "unknown") if status else "unknown")
            if goal.status == "active"
            else None
        )
        file, line = self.where(goal.origin)
        return [
            goal.id,
            goal.level,
            goal.title,
            goal.unit,
            unit.label if unit is not None else None,
            owner,
            self.name_of(owner),
            joined(supports) or None,
            goal.period or self.default_period,
            start,
            due,
            goal.status,
            goal.commitment,
            goal.perspective,
            goal.confidence,
            _share(progress.progress(goal.id)),
            _share(progress.expected(goal)),
            band,
            joined(goal.tags) or None,
            joined(goal.depends_on) or None,
            goal.description,
            file,
            line,
        ]

    def kpis(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        hierarchy, progress = self.hierarchy, self.progress
        for goal in self.plan.goals():
            owner = hierarchy.owner_of(goal)
            for kpi in goal.kpis:
                reading = progress.reading(kpi)
                milestone = kpi.kind == "milestone"
                value = reading.value if reading is not None else None
                low, high = kpi.range if kpi.range is not None else (None, None)
                state = progress.freshness(kpi, goal)
                file, line = self.where(kpi.origin)
                rows.append(
                    [
                        kpi.key,
                        goal.id,
                        kpi.name,
                        kpi.kind,
                        kpi.unit,
                        kpi.baseline,
                        kpi.target,
                        None if milestone else value,
                        reading.date if reading is not None else None,
                        kpi.effective_direction(),
                        low,
                        high,
                        (value == 1) if milestone and value is not None else None,
                        kpi.owner or owner,
                        kpi.source,
                        kpi.frequency,
                        _share(progress.kpi_progress(kpi)),
                        state in ("stale", "no current") if goal.status == "active" else None,
                        file,
                        line,
                    ]
                )
        return rows

    def readings(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        readings, day = self.progress.readings, self.context.as_of
        for kpi in self.plan.kpis():
            origin_file, _ = self.where(kpi.origin)
            for reading in readings.known(kpi, day):
                where = reading.where
                if where is not None:
                    file, line = where.file, where.line
                else:
                    place = self.context.where(kpi.origin, reading.path)
                    file, line = place.file, place.line
                value: Cell = reading.value
                if kpi.kind == "milestone":
                    value = "done" if reading.value == 1 else "not done"
                rows.append(
                    [kpi.key, reading.date, value, reading.note, reading.confidence, reading.by,
                     file or origin_file, line]
                )  # fmt: skip
        return rows

    def gaps(self) -> list[list[Cell]]:
        return [
            [d.rule, d.name, d.severity.value, d.subject, d.message, d.hint,
             d.location.file, d.location.line, d.location.column]
            for d in self.findings
        ]  # fmt: skip

    def matrix(self) -> Table:
        matrix = matrix_of(self.context)
        columns = ["objective", "title", *(did for did, _ in matrix.departments)]
        rows: list[list[Cell]] = [
            [oid, title, *row]
            for (oid, title), row in zip(matrix.objectives, matrix.cells, strict=True)
        ]
        return Table("matrix", SHEETS["matrix"], columns, rows)


def build(
    context: Context, findings: list[Diagnostic], names: Iterable[str] = TABLES
) -> list[Table]:
    """The tables named, in the documented order."""
    tables = _Tables(context, findings)
    out: list[Table] = []
    for name in TABLES:
        if name not in names:
            continue
        if name == "matrix":
            out.append(tables.matrix())
        else:
            rows = getattr(tables, name)()
            out.append(Table(name, SHEETS[name], list(COLUMNS[name]), rows))
    return out


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
