"""CAS120: two readings of one KPI on one date that disagree."""

from __future__ import annotations

from collections.abc import Iterable

from cascade.diagnostics import Severity
from cascade.model import Origin
from cascade.readings import Reading
from cascade.rules.base import Asking, Context, Finding, GapFacts, gap_rule
from cascade.rules.common import kpi_label


def _ask_conflict(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"Which reading of {label} is right, and where should the other one be corrected?"


def _place(ctx: Context, reading: Reading, kpi_origin: Origin | None) -> str:
    if reading.where is not None:
        return f"{reading.where.file}:{reading.where.line}"
    where = ctx.where(kpi_origin)
    return f"{where.file}:{where.line}"


@gap_rule(
    "CAS120",
    "conflicting-readings",
    Severity.WARNING,
    "two readings of one KPI on one date have different values",
    rank=115,
    question=_ask_conflict,
)
def conflicting_readings(ctx: Context) -> Iterable[Finding]:
    """A KPI can have only one value on one day: two readings that disagree mean one of
    them is wrong, and every report quietly takes the later.

    A KPI's readings are its `history`, its `current` with `as_of`, and the rows of the
    readings files (in that order, files in sorted order, rows in order); the later of
    two on one date is used. Values are compared as numbers (`10` and `10.0` agree). The
    finding points at the later reading's date (its `date` cell in a readings file, or
    the `date` of its `history` entry). Reported whatever the as-of date.

    Bad:

        # plans/sales.yaml: history: [{date: 2026-11-30, value: 29}]
        # readings/crm.csv:
        kpi,date,value
        SALES-2.logos,2026-11-30,31

    Good: one reading per KPI and date; correct the one that is wrong.
    """
    for conflict in ctx.readings.conflicts():
        kpi, earlier, later = conflict.kpi, conflict.earlier, conflict.later
        yield Finding(
            kpi.key,
            f"{kpi_label(kpi)} has two readings on {later.date}: {_number(earlier.value)} "
            f"({_place(ctx, earlier, kpi.origin)}) and {_number(later.value)}; the later "
            "is used",
            kpi.origin,
            later.path,
            hint="keep one reading per KPI and date: correct or remove the wrong one",
            at=later.where,
        )


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
