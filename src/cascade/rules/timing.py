"""CAS111, CAS113-CAS115: dates that fit together, goals behind their time, and KPIs that
have gone quiet. Everything here depends on `--as-of`."""

from __future__ import annotations

from collections.abc import Iterable

from cascade.diagnostics import Severity
from cascade.model import Goal
from cascade.rules.base import Asking, Context, Finding, GapFacts, gap_rule
from cascade.rules.common import active_goals, goal_label, kpi_label, percent, points_behind


def _date_key(goal: Goal) -> tuple[str, ...]:
    """Where a goal's end date is written: `due`, else `period`, else the goal itself."""
    if goal.due is not None:
        return ("due",)
    if goal.period is not None:
        return ("period",)
    return ()


def _ask_due_after(ask: Asking, gap: GapFacts, label: str) -> str:
    if gap.goal is None:
        return f"Can {label} be done in time for the goal it supports?"
    hierarchy, progress = ask.hierarchy, ask.progress
    goal = hierarchy.goals[gap.goal]
    _, due = progress.window(goal)
    earlier = [
        p
        for p in hierarchy.parents(goal.id)
        if due is not None
        and (end := progress.window(hierarchy.goals[p])[1]) is not None
        and end < due
    ]
    parent = earlier[0] if earlier else "the goal it supports"
    return f"Can {label} be done before {parent} is due, or does it belong to a later period?"


@gap_rule(
    "CAS111",
    "due-after-parent",
    Severity.WARNING,
    "a goal is due after a goal it supports",
    rank=130,
    question=_ask_due_after,
)
def due_after_parent(ctx: Context) -> Iterable[Finding]:
    """A goal due after the goal it supports arrives too late to help it.

    A goal's end is its `due`, else the end of its period (its own `period`, else the
    organization's). The finding points at the goal's `due` (or at its `period` when the
    date comes from there). Draft and dropped goals, on either side, are not checked.

    Bad:

        - id: WH-3
          title: Re-slot the fast movers in Hartford
          supports: OPS-1          # OPS-1 is due 2026-12-31
          due: 2027-03-31

    Good: `due: 2026-11-30`, or support a goal of the next period.
    """
    hierarchy = ctx.hierarchy
    progress = ctx.progress
    live = hierarchy.live
    seen: set[tuple[str, str]] = set()
    for link in hierarchy.links:
        if (link.child, link.parent) in seen:
            continue
        seen.add((link.child, link.parent))
        if link.child not in live or link.parent not in live:
            continue
        child, parent = hierarchy.goals[link.child], hierarchy.goals[link.parent]
        _, child_end = progress.window(child)
        _, parent_end = progress.window(parent)
        if child_end is None or parent_end is None or child_end <= parent_end:
            continue
        yield Finding(
            child.id,
            f"{goal_label(child)} is due {child_end}, after {parent.id} which it supports "
            f"(due {parent_end})",
            child.origin,
            _date_key(child),
            hint=f"bring the date forward to {parent_end} or earlier, or support a goal of a "
            "later period",
        )


def _behind(ctx: Context, wanted: str) -> Iterable[Finding]:
    progress = ctx.progress
    for goal in active_goals(ctx.hierarchy):
        if progress.status(goal) != wanted:
            continue
        done, expected = progress.progress(goal.id), progress.expected(goal)
        assert done is not None and expected is not None  # a status needs both
        yield Finding(
            goal.id,
            f"{goal_label(goal)} is {wanted}: {percent(done)} done, {percent(expected)} "
            f"expected by {ctx.as_of} ({points_behind(expected, done)} behind)",
            goal.origin,
            hint="agree on what will bring it back, or change its target or date",
        )


def _ask_off_track(ask: Asking, gap: GapFacts, label: str) -> str:
    return (
        f"{label} is off track{ask.numbers(gap.goal)}: what will bring it back, or should "
        "its target or date change?"
    )


@gap_rule(
    "CAS113",
    "off-track",
    Severity.WARNING,
    "progress is behind expected progress by more than `off_track_margin`",
    rank=40,
    question=_ask_off_track,
    helper=0,
)
def off_track(ctx: Context) -> Iterable[Finding]:
    """An active goal whose progress lags the time that has passed by more than
    `thresholds.off_track_margin` (default 0.25) is off track.

    Progress is the goal's rolled-up progress (its KPIs and the goals that support it,
    weighted); expected progress is the share of its time elapsed at `--as-of`, from
    `start` (else its period's start) to `due` (else its period's end). Goals whose
    progress or time is unknown are not judged. This is the traffic light of OKR
    check-ins: red means the plan needs a decision, not a better week.

    Bad (at 2026-11-15, 87% through the year):

        - id: IS-2
          title: Cut quote turnaround from 24 hours to 4 hours
          kpis:
            - {name: Median quote turnaround, baseline: 24, target: 4, current: 12.5}
              # 58% done: 29 points behind

    Good: a recovery plan the meeting agrees on, or a target the team can still reach.
    """
    return _behind(ctx, "off track")


def _ask_at_risk(ask: Asking, gap: GapFacts, label: str) -> str:
    who = gap.owner_name or gap.owner or "its owner"
    return f"{label} is at risk{ask.numbers(gap.goal)}: what does {who} need to close the gap?"


@gap_rule(
    "CAS114",
    "at-risk",
    Severity.INFO,
    "behind by more than `at_risk_margin` but not off track",
    rank=150,
    question=_ask_at_risk,
    ask_info=True,
    helper=1,
)
def at_risk(ctx: Context) -> Iterable[Finding]:
    """An active goal whose progress lags the time that has passed by more than
    `thresholds.at_risk_margin` (default 0.1), but not by more than `off_track_margin`,
    is at risk: amber, worth a question before it turns red.

    Progress and expected progress are computed as for `off-track` (CAS113).

    Bad (at 2026-11-15, 87% through the year):

        - id: FLEET-1
          title: Cut cost per delivery by 8%
          kpis:
            - {name: Cost per drop, baseline: 42.0, target: 38.6, current: 39.6}
              # 71% done: 17 points behind

    Good: the owner says what will close the gap, and by when.
    """
    return _behind(ctx, "at risk")


def _ask_stale(ask: Asking, gap: GapFacts, label: str) -> str:
    kpi = ask.hierarchy.kpis.get(gap.subject or "")
    who = gap.owner_name or gap.owner or "its owner"
    measured = ask.progress.measured_on(kpi) if kpi is not None else None
    if measured is not None:
        return f"When will {who} update {label}? Its last reading is from {measured}."
    return f"What is the current value of {label}, and who measures it?"


@gap_rule(
    "CAS115",
    "stale-kpi",
    Severity.WARNING,
    "an active KPI's latest reading is older than its limit (`stale_after` for its "
    "`frequency`, else `stale_after_days`), or it has no reading once its period has begun",
    rank=110,
    question=_ask_stale,
    helper=2,
)
def stale_kpi(ctx: Context) -> Iterable[Finding]:
    """A KPI nobody has measured lately tells you about the past, not about the goal.

    Checked for the KPIs of active goals (not achieved, missed, draft or dropped ones).
    A KPI is stale when its latest reading on or before `--as-of` (its `history`, its
    `current` with `as_of`, the rows of the readings files) is older than its limit, or
    when a metric has no reading although the goal's time has begun; a reading dated
    after `--as-of` is not known yet. The limit follows the KPI's `frequency`:
    `thresholds.stale_after` (default weekly 10, monthly 38, quarterly 100, yearly 380
    days); a KPI without a frequency uses `thresholds.stale_after_days` (default 45).
    A done milestone needs no new reading; a KPI with a `current` but no date at all is
    not judged.

    Bad (at 2026-11-15):

        - id: WH-1.pick-accuracy
          name: Pick accuracy
          frequency: monthly
          current: 99.6
          as_of: 2026-08-31        # 76 days ago: the limit of a monthly KPI is 38

    Good: a fresh reading (`current` and `as_of`), or a note in `source:` of where the
    number went.
    """
    progress = ctx.progress
    for goal in active_goals(ctx.hierarchy):
        for kpi in goal.kpis:
            state = progress.freshness(kpi, goal)
            if state == "stale":
                reading = progress.reading(kpi)
                assert reading is not None and reading.date is not None  # "stale" needs both
                measured = reading.date
                age = (ctx.as_of - measured).days
                limit = progress.stale_limit(kpi)
                every = f"a {kpi.frequency} KPI" if kpi.frequency else "no frequency"
                yield Finding(
                    kpi.key,
                    f"{kpi_label(kpi)} of goal {goal.id} was last measured on {measured}, "
                    f"{age} days before {ctx.as_of} (limit {limit} days: {every})",
                    kpi.origin,
                    reading.path[:2],  # a history entry, or `as_of`
                    hint=f"record a new reading: `cascade checkin {kpi.key} VALUE`",
                    at=reading.where,
                )
            elif state == "no current":
                start, _ = progress.window(goal)
                since = f" although its time began on {start}" if start else ""
                yield Finding(
                    kpi.key,
                    f"{kpi_label(kpi)} of goal {goal.id} has no current value{since}",
                    kpi.origin,
                    hint=f"record the latest reading: `cascade checkin {kpi.key} VALUE`",
                )


def _ask_overdue(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"{label} is past its date: was it achieved or missed, or when will it be done?"


@gap_rule(
    "CAS118",
    "overdue-goal",
    Severity.WARNING,
    "an active goal's `due` (else its period's end) is before the as-of date",
    rank=50,
    question=_ask_overdue,
)
def overdue_goal(ctx: Context) -> Iterable[Finding]:
    """An active goal whose time is over is either done, missed or late: say which.

    A goal's end is its `due`, else the end of its period. Once `--as-of` is past it, a
    goal still `active` reads "on track" in every report although nobody can still reach
    it in time. Set `status: achieved` or `status: missed`, or move `due` if the work goes
    on. The finding points at the `due` value (else at the goal).

    Bad (at 2026-11-15):

        - id: FLEET-2
          title: Electrify the Hartford vans
          due: 2026-06-30          # status is still active

    Good: `status: achieved` (or `missed`), or `due: 2027-03-31` with the reason.
    """
    progress = ctx.progress
    for goal in active_goals(ctx.hierarchy):
        _, end = progress.window(goal)
        if end is None or end >= ctx.as_of:
            continue
        days = (ctx.as_of - end).days
        yield Finding(
            goal.id,
            f"{goal_label(goal)} was due on {end}, {days} day{'' if days == 1 else 's'} "
            f"before {ctx.as_of}, and is still active",
            goal.origin,
            ("due",) if goal.due is not None else (),
            hint="set `status: achieved` or `status: missed`, or move `due:` if the work goes on",
        )


def _ask_dependency(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"{label} {gap.detail}: how will it still be reached?"


@gap_rule(
    "CAS119",
    "dependency-at-risk",
    Severity.WARNING,
    "an active goal depends on a goal that is dropped or missed, off track, or due after it",
    rank=60,
    question=_ask_dependency,
)
def dependency_at_risk(ctx: Context) -> Iterable[Finding]:
    """A goal that waits for another can be no better than what it waits for.

    For each `depends_on` entry of an active goal that names a goal, the finding says
    which of three it is: the goal depended on is dropped or missed (it will never
    arrive), off track (CAS113), or due after the dependent goal (it arrives too late;
    each end is `due`, else the period's end). The finding is about the dependent goal and
    points at its `depends_on` entry.

    Bad:

        - id: WH-2
          title: Same-day dispatch in Hartford
          due: 2026-09-30
          depends_on: [IT-4]       # IT-4 is due 2026-12-31

    Good: bring IT-4 forward, move WH-2's date, or drop the dependency.
    """
    hierarchy = ctx.hierarchy
    progress = ctx.progress
    for goal in active_goals(hierarchy):
        _, end = progress.window(goal)
        for index, other_id in enumerate(goal.depends_on):
            other = hierarchy.goals.get(other_id)
            if other is None or other_id == goal.id:
                continue  # unknown-reference or dependency-cycle says so
            if other.status in ("dropped", "missed"):
                why = f"which is {other.status}"
                hint = "find another way to reach it, or change its plan"
            elif progress.status(other) == "off track":
                why = "which is off track"
                hint = f"agree with the owner of {other.id} how it gets back on track"
            else:
                _, other_end = progress.window(other)
                if end is None or other_end is None or other_end <= end:
                    continue
                why = f"which is due {other_end}, after this goal's {end}"
                hint = f"bring {other.id} forward, or move this goal's date"
            yield Finding(
                goal.id,
                f"{goal_label(goal)} depends on {other.id}, {why}",
                goal.origin,
                ("depends_on", index),
                hint=hint,
            )
