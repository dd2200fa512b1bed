"""Phrases the text and Markdown renderers share, so both say the same thing."""

from __future__ import annotations

from cascade.diagnostics import Severity
from cascade.gapreport.model import CORPORATE, DueKpi, Gap, GapReport, Health


def counted(number: int, severity: Severity) -> str:
    # "info" is a mass noun: "3 info", like "3 warnings".
    word = severity.value if severity is Severity.INFO or number == 1 else f"{severity.value}s"
    return f"{number} {word}"


def counts_phrase(counts: dict[Severity, int]) -> str:
    """`2 errors, 7 warnings, 3 info`, leaving out errors when there are none."""
    parts = [
        counted(counts.get(severity, 0), severity)
        for severity in Severity
        if severity is not Severity.ERROR or counts.get(severity, 0)
    ]
    return ", ".join(parts)


def waived_phrase(count: int, shown: bool) -> str:
    if not count:
        return ""
    if shown:
        return f"{count} waived (listed at the end)"
    return f"{count} waived (`--show-waived` lists them)"


def place(gap: Gap) -> str:
    """Where in the organisation: `Key Accounts`, `Corporate`, or for a personal goal the
    person's team (`Mateo Ferrer (Marketing)` when someone else owns it)."""
    if gap.unit_name is None:
        return CORPORATE
    if gap.home_name:
        # A person's own goal: their team says more than their name, already the owner.
        if gap.owner == gap.unit:
            return gap.home_name
        return f"{gap.unit_name} ({gap.home_name})"
    return gap.unit_name


def plural(severity: Severity) -> str:
    """A severity as a column header: `errors`, `warnings`, `info`."""
    return "info" if severity is Severity.INFO else f"{severity.value}s"


def health_rows(health: Health) -> list[list[str]]:
    """The health numbers as (measure, value) rows, in the order every format shows them."""
    rows = [
        [health.objectives_label, str(health.objectives)],
        ["Active goals with a line of sight to an objective", str(health.line_of_sight)],
        ["Active goals with at least one KPI", str(health.goals_with_kpis)],
        ["Metric KPIs with a target", str(health.kpis_with_target)],
        [
            f"KPIs with a fresh reading (by frequency, else {health.stale_after_days} days)",
            str(health.kpis_fresh),
        ],
        [
            "Active goals on track / at risk / off track",
            f"{health.on_track} / {health.at_risk} / {health.off_track}",
        ],
    ]
    if health.unknown:
        rows.append(["Active goals whose progress is not known", str(health.unknown)])
    return rows


def summary_line(report: GapReport) -> str:
    """`7 warnings, 3 info, 1 waived in 6 files`: the one-line close of the text report."""
    line = counts_phrase(report.counts)
    if report.waived:
        line += f", {len(report.waived)} waived"
    return f"{line} in {report.files} file{'s' if report.files != 1 else ''}"


LIST_LIMIT = 12  # ids listed in one cell before "and N more" (JSON lists them all)


def id_list(ids: list[str], limit: int = LIST_LIMIT) -> str:
    """`A, B, C`, or `A, B, … and 40 more` past `limit`."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return ", ".join(ids[:limit]) + f" and {len(ids) - limit} more"


def unit_gaps(gaps: list[Gap]) -> str:
    """A unit's gaps in one cell: `CAS101 OPS-3, CAS115 WH-1.pick-accuracy`."""
    return id_list([f"{gap.rule} {gap.subject or '—'}" for gap in gaps])


def matrix_notes(report: GapReport) -> tuple[str, str]:
    """The labels of the matrix's empty rows and columns (narrower words for a scope)."""
    if report.scope_label:
        return (
            "Objectives these goals do not reach",
            "Departments whose goals here reach no objective",
        )
    return "Objectives no department serves", "Departments that serve no objective"


DUE_HEADERS = ["owner", "KPI", "every", "last", "due", ""]
NOTHING_DUE = "No reading is due in the coming week."


def due_state(kpi: DueKpi) -> str:
    """`3 days late`, or `due` when its day has not passed."""
    if kpi.days_late:
        return f"{kpi.days_late} day{'s' if kpi.days_late != 1 else ''} late"
    return "due"


def due_rows(report: GapReport) -> list[list[str]]:
    """Readings due as rows (owner on the first row of each owner's KPIs), every format's."""
    rows: list[list[str]] = []
    for owner in report.readings_due:
        who = owner.owner_name or owner.owner or "no owner"
        for index, kpi in enumerate(owner.kpis):
            rows.append(
                [
                    who if index == 0 else "",
                    f"{kpi.id} {kpi.name}",
                    kpi.frequency,
                    str(kpi.last) if kpi.last else "none",
                    str(kpi.due),
                    due_state(kpi),
                ]
            )
    return rows
