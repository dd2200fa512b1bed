"""CAS105-CAS108: can each goal be measured? KPIs with a target, a baseline, and numbers that
agree with each other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cascade.diagnostics import Severity
from cascade.graph import Hierarchy
from cascade.model import Goal, Kpi
from cascade.rules.base import Asking, Context, Finding, GapFacts, gap_rule
from cascade.rules.common import active_goals, goal_label, kpi_label, live_goals


def _metrics(hierarchy: Hierarchy) -> Iterator[tuple[Goal, Kpi]]:
    """Metric KPIs of the goals that take part."""
    for goal in live_goals(hierarchy):
        for kpi in goal.kpis:
            if kpi.kind == "metric":
                yield goal, kpi


def _number(value: float) -> str:
    return f"{value:g}"


def _ask_no_kpi(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"How will we know that {label} is on track? It has no KPI."


@gap_rule(
    "CAS105",
    "goal-without-kpi",
    Severity.WARNING,
    "an active goal has no KPI",
    rank=90,
    question=_ask_no_kpi,
    helper=5,
)
def goal_without_kpi(ctx: Context) -> Iterable[Finding]:
    """An active goal without a KPI cannot be tracked: nobody can say whether it is on
    track, and its progress is only what the goals below it report.

    SMART goals are Measurable; in OKR practice every objective carries key results.
    A metric KPI (baseline, target, current) or a milestone (done or not) is enough.
    Achieved, missed, draft and dropped goals are not checked. When a goal is measured
    elsewhere on purpose, say so with `waive: {goal-without-kpi: reason}`.

    Bad:

        - id: MATEO-1
          title: Speak at four Northeast industry conferences

    Good:

        - id: MATEO-1
          title: Speak at four Northeast industry conferences
          kpis:
            - name: Conference talks given
              unit: count
              baseline: 0
              target: 4
    """
    for goal in active_goals(ctx.hierarchy):
        if not goal.kpis and not goal._kpis_left_out:  # a broken KPI is its own finding
            yield Finding(
                goal.id,
                f"{goal_label(goal)} has no KPI: nobody can tell whether it is on track",
                goal.origin,
                hint="add a KPI under `kpis:`: a metric with baseline and target, or a milestone",
            )


def _ask_no_target(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"What is the target of {label} (goal {gap.goal})?"


@gap_rule(
    "CAS106",
    "kpi-without-target",
    Severity.WARNING,
    "a metric KPI has no target",
    rank=100,
    question=_ask_no_target,
    helper=4,
)
def kpi_without_target(ctx: Context) -> Iterable[Finding]:
    """A metric KPI without a target measures activity, not progress: there is no
    finish line, so its progress is unknown and nothing rolls up from it.

    A `maintain` KPI is measured against its `range` instead and needs no target; one
    without a range is reported here. Milestones need no target. KPIs of draft and
    dropped goals are not checked.

    Bad:

        - id: KA-2.nps
          name: Key-account net promoter score
          baseline: 41
          current: 47

    Good:

        - id: KA-2.nps
          name: Key-account net promoter score
          baseline: 41
          target: 50
          current: 47
    """
    for goal, kpi in _metrics(ctx.hierarchy):
        maintain = kpi.effective_direction() == "maintain"
        # A KPI to maintain is judged by its range alone (a target does not stand in).
        if kpi.range is not None if maintain else kpi.target is not None:
            continue
        yield Finding(
            kpi.key,
            f"{kpi_label(kpi)} of goal {goal.id} has no "
            + ("range to stay in" if maintain else "target"),
            kpi.origin,
            hint="add `range: [low, high]` (either end may be null)"
            if maintain
            else "add `target:`, or `direction: maintain` with a `range:`",
        )


def _ask_no_baseline(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"What was the starting value of {label} (goal {gap.goal})?"


@gap_rule(
    "CAS107",
    "kpi-without-baseline",
    Severity.INFO,
    "a metric KPI has no baseline",
    rank=180,
    question=_ask_no_baseline,
    helper=3,
)
def kpi_without_baseline(ctx: Context) -> Iterable[Finding]:
    """A metric KPI without a baseline has no starting point: progress, which runs from
    baseline to target, cannot be computed, and nobody can tell an ambitious target
    from one already met.

    `maintain` KPIs are measured against their range and need no baseline; milestones
    need none either. KPIs of draft and dropped goals are not checked.

    Bad:

        - name: Share of voice in trade media
          target: 18
          current: 16.4

    Good:

        - name: Share of voice in trade media
          baseline: 9
          target: 18
          current: 16.4
    """
    for goal, kpi in _metrics(ctx.hierarchy):
        if kpi.baseline is not None or kpi.effective_direction() == "maintain":
            continue
        yield Finding(
            kpi.key,
            f"{kpi_label(kpi)} of goal {goal.id} has no baseline: its progress cannot be measured",
            kpi.origin,
            hint="add `baseline:`, the value at the start of the period",
        )


def _conflict(kpi: Kpi) -> tuple[str, tuple[str, ...], str] | None:
    """(what is wrong, where to point, hint) or None."""
    if kpi.range is not None:
        low, high = kpi.range
        if low is not None and high is not None and low > high:
            return (
                f"{kpi_label(kpi)} has an inverted range [{_number(low)}, {_number(high)}]",
                ("range",),
                f"write the low end first: [{_number(high)}, {_number(low)}]",
            )
    if kpi.baseline is None or kpi.target is None:
        return None
    # Labels and numbers are written for a conflict only: most KPIs have none.
    if kpi.effective_direction() != "maintain" and kpi.target == kpi.baseline:
        return (
            f"{kpi_label(kpi)} has its target equal to its baseline ({_number(kpi.target)}): "
            "its progress cannot be measured",
            ("target",),
            "set the target you want to reach, or use `direction: maintain` with a `range:`",
        )
    if kpi.direction == "increase" and kpi.target < kpi.baseline:
        should, side, instead = "increase", "below", "decrease"
    elif kpi.direction == "decrease" and kpi.target > kpi.baseline:
        should, side, instead = "decrease", "above", "increase"
    else:
        return None
    return (
        f"{kpi_label(kpi)} should {should}, but its target {_number(kpi.target)} is {side} "
        f"its baseline {_number(kpi.baseline)}",
        ("direction",),
        f"set `direction: {instead}`, or correct the target",
    )


def _ask_conflict(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"Which way should {label} move? Its direction, baseline and target disagree."


@gap_rule(
    "CAS108",
    "kpi-target-conflict",
    Severity.WARNING,
    "the direction contradicts baseline and target, target equals baseline, or a range is inverted",
    rank=120,
    question=_ask_conflict,
    helper=6,
)
def kpi_target_conflict(ctx: Context) -> Iterable[Finding]:
    """A KPI's numbers contradict each other: `direction: increase` with a target below
    the baseline (or `decrease` with one above), a target equal to the baseline (progress
    cannot be measured), or a `range` whose low end is above its high end.

    Usually a typo or a copied KPI: the goal then reports progress in the wrong direction,
    or none. A `maintain` KPI may keep target and baseline equal. KPIs of draft and dropped
    goals are not checked.

    Bad:

        - name: Median quote turnaround
          direction: increase
          baseline: 24
          target: 4

    Good:

        - name: Median quote turnaround
          direction: decrease      # or leave it out: target < baseline means decrease
          baseline: 24
          target: 4
    """
    for _goal, kpi in _metrics(ctx.hierarchy):
        conflict = _conflict(kpi)
        if conflict is not None:
            message, path, hint = conflict
            yield Finding(kpi.key, message, kpi.origin, path, hint=hint)
