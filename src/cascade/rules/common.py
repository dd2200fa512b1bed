"""Small helpers the gap rules share: how they name goals, KPIs and units in messages."""

from __future__ import annotations

from collections.abc import Iterator

from cascade.graph import Hierarchy
from cascade.model import Department, Goal, Kpi, Person, Team, Unit

TITLE_LIMIT = 80  # long titles are cut in messages; reports show the whole title


def quoted(text: str) -> str:
    """A title in double quotes, cut at `TITLE_LIMIT` characters."""
    text = " ".join(text.split())
    if len(text) > TITLE_LIMIT:
        text = text[: TITLE_LIMIT - 1].rstrip() + "…"
    return f'"{text}"'


def goal_label(goal: Goal) -> str:
    """`goal SALES-3 "Launch partner program"` (`objective OBJ-1 "…"` for objectives)."""
    noun = "objective" if goal.level == "objective" else "goal"
    return f"{noun} {goal.id} {quoted(goal.title)}"


def kpi_label(kpi: Kpi) -> str:
    return f"KPI {kpi.key} {quoted(kpi.name)}"


def unit_kind(unit: Unit) -> str:
    if isinstance(unit, Department):
        return "department"
    if isinstance(unit, Team):
        return "team"
    if isinstance(unit, Person):
        return "person"
    return "unit"


def unit_label(unit: Unit) -> str:
    """`team key-accounts "Key Accounts"` (no name: only the id)."""
    name = f" {quoted(unit.name)}" if unit.name and unit.name != unit.id else ""
    return f"{unit_kind(unit)} {unit.id}{name}"


def live_goals(hierarchy: Hierarchy) -> Iterator[Goal]:
    """Goals that take part in the gap rules (not draft, not dropped), first definitions."""
    for goal in hierarchy.goals.values():
        if goal.takes_part:
            yield goal


def active_goals(hierarchy: Hierarchy) -> Iterator[Goal]:
    """Goals with status `active`: the work still open (not achieved, missed, draft, dropped)."""
    for goal in hierarchy.goals.values():
        if goal.status == "active":
            yield goal


def listing(ids: list[str], limit: int = 8) -> str:
    """`A, B, C` or `A, B, … and 4 more`."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return ", ".join(ids[:limit]) + f" and {len(ids) - limit} more"


def percent(value: float) -> str:
    """`57%`: a share in [0, 1] as a whole percentage."""
    return f"{round(value * 100)}%"


def points_behind(expected: float, done: float) -> str:
    """`30 points`: the difference of the two percentages as shown, so the sum adds up."""
    number = round(expected * 100) - round(done * 100)
    return f"{number} point{'' if number == 1 else 's'}"


def series(names: list[str], conjunction: str) -> str:
    """`Sales, Marketing or Operations`; long lists are cut: `A, B, C and 5 more`."""
    if len(names) > 6:
        return ", ".join(names[:5]) + f" and {len(names) - 5} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]
