"""Progress, the one definition: KPI progress, goal roll-up, expected progress, and status.

Every command and output asks this module; nothing else computes progress.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Literal

from cascade.config import AlignmentConfig, Thresholds
from cascade.graph import Hierarchy
from cascade.model import Goal, Kpi, Period
from cascade.readings import Reading, Readings

Status = Literal["on track", "at risk", "off track"]
# How recent a KPI's reading is at the date (see `ProgressModel.freshness`).
Freshness = Literal["fresh", "stale", "no current", "not begun", "undated", "done"]


def kpi_progress(kpi: Kpi, current: float | None) -> float | None:
    """A KPI's progress in [0, 1] with `current` its value at the date (a milestone's 1
    when done), or None when it cannot be known."""
    if kpi.kind == "milestone":
        return 1.0 if current == 1 else 0.0
    direction = kpi.effective_direction()
    if direction == "maintain":
        if current is None or kpi.range is None:
            return None
        low, high = kpi.range
        inside = (low is None or current >= low) and (high is None or current <= high)
        return 1.0 if inside else 0.0
    if current is None or kpi.baseline is None or kpi.target is None:
        return None
    if kpi.target == kpi.baseline:
        return None
    return _clamp((current - kpi.baseline) / (kpi.target - kpi.baseline))


MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def after(day: datetime.date, frequency: str) -> datetime.date:
    """One `frequency` after `day`: a week, or one, three or twelve calendar months (a day
    the month lacks is its last day: one month after 05-31 is 06-30)."""
    if day.year == datetime.MAXYEAR:
        return datetime.date.max  # no later day to be due on
    if frequency == "weekly":
        return day + datetime.timedelta(days=7)
    months = day.month - 1 + MONTHS[frequency]
    year, month = day.year + months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """What a reader wants to know about a goal's progress at a date."""

    progress: float | None
    expected: float | None
    status: Status | None  # None: not active, or progress or expectation unknown


class ProgressModel:
    """Rolled-up progress of every goal, memoised, at one date with one configuration."""

    def __init__(
        self,
        hierarchy: Hierarchy,
        as_of: datetime.date,
        thresholds: Thresholds,
        alignment: AlignmentConfig,
        readings: Readings | None = None,
    ) -> None:
        self.hierarchy = hierarchy
        # Readings dated after `as_of` are not known yet: they move nothing here.
        self.readings = readings if readings is not None else Readings(hierarchy.plan)
        self.as_of = as_of
        self.thresholds = thresholds
        self.rollup = alignment.rollup
        self.periods: dict[str, Period] = {}
        for period in hierarchy.plan.periods:
            self.periods.setdefault(period.id, period)
        organization = hierarchy.plan.organization
        self.default_period = organization.period if organization else None
        self._progress: dict[str, float | None] = {}
        self._status: dict[str, Status | None] = {}
        self._in_plan_order = False

    def progress(self, goal_id: str) -> float | None:
        """The goal's rolled-up progress in [0, 1], or None when nothing is known.

        On a `supports` loop (an error, CAS006) the walk leaves out the link that comes
        back round, so which link that is depends on where the walk starts. With a loop,
        the first question therefore rolls up every goal in plan order: every command
        shows the same numbers, whichever goal it asks about first.
        """
        if goal_id in self._progress:
            return self._progress[goal_id]
        if not self._in_plan_order and self.hierarchy.looped:
            self._in_plan_order = True
            for goal in self.hierarchy.goals:
                self._roll_up(goal)
            return self._progress[goal_id]
        return self._roll_up(goal_id)

    def _roll_up(self, goal_id: str) -> float | None:
        if goal_id in self._progress:
            return self._progress[goal_id]
        # Iterative post-order walk: deep hierarchies must not hit the recursion limit.
        stack: list[tuple[str, bool]] = [(goal_id, False)]
        in_progress: set[str] = set()
        while stack:
            node, expanded = stack.pop()
            if node in self._progress:
                continue
            if expanded:
                self._progress[node] = self._combine(node)
                in_progress.discard(node)
                continue
            in_progress.add(node)
            stack.append((node, True))
            for child in self._children(node):
                # A child already on the path is a cycle (reported as CAS006): skip it.
                if child not in self._progress and child not in in_progress:
                    stack.append((child, False))
        return self._progress[goal_id]

    def _children(self, goal_id: str) -> list[str]:
        if self.rollup == "kpis":
            return []
        goals = self.hierarchy.goals
        return [c for c in self.hierarchy.children(goal_id) if goals[c].takes_part]

    def _combine(self, goal_id: str) -> float | None:
        goal = self.hierarchy.goals[goal_id]
        children = self._children(goal_id)
        total = weights = 0.0
        # `children`: a goal with supporting goals takes its progress from them alone, and
        # a leaf goal (no supporting goals) from its own KPIs, else nothing would be known.
        if self.rollup != "children" or not children:
            for kpi in goal.kpis:
                value = self.kpi_progress(kpi)
                if value is not None:
                    total += value
                    weights += 1.0
        for child in children:
            value = self._progress.get(child)
            if value is not None:
                weight = self.hierarchy.weight(child, goal_id)
                total += value * weight
                weights += weight
        return _clamp(total / weights) if weights else None

    def window(self, goal: Goal) -> tuple[datetime.date | None, datetime.date | None]:
        """The goal's time: start (else its period's start) to due (else its period's end)."""
        period = self.periods.get(goal.period or self.default_period or "")
        start = goal.start or (period.start if period else None)
        end = goal.due or (period.end if period else None)
        return start, end

    def expected(self, goal: Goal) -> float | None:
        """The fraction of the goal's time elapsed at `as_of`, clamped to [0, 1]."""
        start, end = self.window(goal)
        if start is None or end is None:
            return None
        if end <= start:
            return 1.0 if self.as_of >= end else 0.0
        return _clamp((self.as_of - start).days / (end - start).days)

    def status(self, goal: Goal) -> Status | None:
        """On track, at risk or off track, from how far progress lags the expected."""
        if goal.id not in self._status:
            self._status[goal.id] = self._judge(goal)
        return self._status[goal.id]

    def _judge(self, goal: Goal) -> Status | None:
        if goal.status != "active":
            return None
        return self._standing(self.progress(goal.id), self.expected(goal))

    def _standing(self, progress: float | None, expected: float | None) -> Status | None:
        """How far `progress` lags `expected`, judged with the configured margins."""
        if progress is None or expected is None:
            return None
        # Rounded: 0.8 - 0.7 is 0.10000000000000009 in binary floats, and exactly a margin
        # behind is within it (as the messages say: "10 points behind").
        behind = round(expected - progress, 9)
        if behind > self.thresholds.off_track_margin:
            return "off track"
        if behind > self.thresholds.at_risk_margin:
            return "at risk"
        return "on track"

    def reading(self, kpi: Kpi) -> Reading | None:
        """The KPI's reading at `as_of`: its latest dated on or before it, else a
        `current` without a date, else None."""
        return self.readings.at(kpi, self.as_of)

    def value(self, kpi: Kpi) -> float | None:
        """The KPI's value at `as_of` (a milestone's 1 when done), or None."""
        found = self.readings.at(kpi, self.as_of)
        return found.value if found is not None else None

    def kpi_progress(self, kpi: Kpi) -> float | None:
        """The KPI's progress at `as_of`, from its value then."""
        return kpi_progress(kpi, self.value(kpi))

    def measured_on(self, kpi: Kpi) -> datetime.date | None:
        """When the KPI was last measured on or before `as_of` (None: never, or undated)."""
        found = self.readings.at(kpi, self.as_of)
        return found.date if found is not None else None

    def freshness(self, kpi: Kpi, goal: Goal) -> Freshness:
        """How recent the KPI's reading is at `as_of`.

        `stale`: measured longer ago than its limit (`stale_limit`). `no current`: a metric without
        a `current` value once the goal's time has begun (`not begun` before). A done
        milestone needs no more readings (`done`); a reading without any date is `undated`.
        """
        value = self.value(kpi)
        if kpi.kind == "milestone" and value == 1:
            return "done"
        if kpi.kind == "metric" and value is None:
            start, _ = self.window(goal)
            if start is not None and start > self.as_of:
                return "not begun"
            return "no current"
        measured = self.measured_on(kpi)
        if measured is None:
            return "undated"
        age = (self.as_of - measured).days
        return "stale" if age > self.stale_limit(kpi) else "fresh"

    def stale_limit(self, kpi: Kpi) -> int:
        """Days a KPI's latest reading stays fresh: by its `frequency` when it has one."""
        if kpi.frequency is not None:
            return self.thresholds.stale_after.days(kpi.frequency)
        return self.thresholds.stale_after_days

    def next_due(self, kpi: Kpi, goal: Goal) -> datetime.date | None:
        """When the KPI's next reading is due: one `frequency` after its latest reading on
        or before `as_of` (from the start of its goal's time when it has none); None
        without a frequency or a date to count from."""
        if kpi.frequency is None:
            return None
        last = self.measured_on(kpi)
        if last is None:
            last = self.window(goal)[0]
            if last is None:
                return None
        return after(last, kpi.frequency)

    def kpi_status(self, kpi: Kpi) -> Status | None:
        """A KPI's own standing: its progress against its goal's expected progress, with
        the same margins as a goal's status (shown next to each KPI on the map)."""
        goal = self.hierarchy.goals.get(kpi.goal_id)
        if goal is None or goal.status != "active":
            return None
        return self._standing(self.kpi_progress(kpi), self.expected(goal))

    def of(self, goal: Goal) -> GoalProgress:
        return GoalProgress(self.progress(goal.id), self.expected(goal), self.status(goal))
