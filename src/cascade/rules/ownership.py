"""CAS104, CAS109, CAS110: does every unit have goals, every goal an owner, and nobody too
many goals?"""

from __future__ import annotations

from collections.abc import Iterable

from cascade.diagnostics import Severity
from cascade.model import Department, Person, Team
from cascade.rules.base import Asking, Context, Finding, GapFacts, gap_rule
from cascade.rules.common import active_goals, goal_label, listing, live_goals, unit_label


def _ask_no_goals(ask: Asking, gap: GapFacts, label: str) -> str:
    who = "They have" if gap.kind == "person" else "It has"
    return f"What will {gap.title} deliver this period? {who} no active goal."


@gap_rule(
    "CAS104",
    "unit-without-goals",
    Severity.WARNING,
    "a department, team or person has no active goal",
    rank=140,
    question=_ask_no_goals,
)
def unit_without_goals(ctx: Context) -> Iterable[Finding]:
    """A department, team or person with no active goal has not said what it contributes
    this period.

    A department or team needs active goals written under it (a department's own goals,
    not its teams'). A person needs at least one active goal they hold: a personal goal,
    or a goal they own (explicitly, or as the lead of its unit), so a chief executive who
    owns the objectives is not reported. Only `active` goals count: achieved, missed,
    draft and dropped goals are not work still to do. A unit that truly has nothing to
    contribute can be removed from the plan, or the rule switched off with
    `rules: {ignore: [unit-without-goals]}` in `cascade.yaml`.

    Bad:

        teams:
          - id: inside-sales
            department: sales
            goals: []

    Good:

        teams:
          - id: inside-sales
            department: sales
            goals:
              - id: IS-1
                title: Convert 25% of qualified mid-market leads
                supports: SALES-2
    """
    hierarchy = ctx.hierarchy
    holding = {goal.unit for goal in active_goals(hierarchy)}
    holding.update(hierarchy.person_holdings)
    holding.update(hierarchy.plan.broken_units)  # the goal's schema error says enough
    for unit in hierarchy.units.values():
        if unit.id in holding:
            continue
        yield Finding(
            unit.id,
            f"{unit_label(unit)} has no active goal",
            unit.origin,
            hint="add a goal under `goals:` that says what "
            + ("they contribute" if isinstance(unit, Person) else "it contributes")
            + " this period",
        )


def _ask_owner(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"Who is accountable for {label}?"


@gap_rule(
    "CAS109",
    "goal-without-owner",
    Severity.WARNING,
    "a goal has no owner and its unit no lead",
    rank=70,
    question=_ask_owner,
)
def goal_without_owner(ctx: Context) -> Iterable[Finding]:
    """A goal nobody is accountable for tends to be nobody's priority.

    A goal's owner is its `owner`, else the lead of the department or team it is written
    under; a personal goal belongs to its person. The rule fires when neither is there:
    an objective without `owner`, or a department or team goal whose unit has no `lead`.
    Draft and dropped goals are not checked.

    Bad:

        objectives:
          - id: OBJ-2
            title: Reach 75% aided brand awareness
            # no owner

    Good:

        objectives:
          - id: OBJ-2
            title: Reach 75% aided brand awareness
            owner: mateo
    """
    hierarchy = ctx.hierarchy
    for goal in live_goals(hierarchy):
        if hierarchy.owner_of(goal) is not None:
            continue
        unit = hierarchy.units.get(goal.unit or "")
        where = f", and {unit_label(unit)} has no lead" if unit is not None else ""
        hint = "add `owner:` with a person id"
        if isinstance(unit, Department | Team):
            hint += f", or give {unit.id} a `lead:`"
        yield Finding(goal.id, f"{goal_label(goal)} has no owner{where}", goal.origin, hint=hint)


def _ask_overloaded(ask: Asking, gap: GapFacts, label: str) -> str:
    hierarchy = ask.hierarchy
    held = hierarchy.person_holdings if gap.kind == "person" else hierarchy.unit_holdings
    count = len(held.get(gap.subject or "", []))
    limit = ask.config.thresholds.max_goals_per_owner
    if gap.kind == "person":
        return (
            f"{gap.title} holds {count} active goals (limit {limit}): which of them stop, "
            "move to someone else, or wait?"
        )
    return (
        f"{gap.title} has {count} active goals (limit {limit}): which are its real "
        "priorities this period?"
    )


@gap_rule(
    "CAS110",
    "too-many-goals",
    Severity.WARNING,
    "an owner or unit holds more active goals than `max_goals_per_owner`",
    rank=80,
    question=_ask_overloaded,
)
def too_many_goals(ctx: Context) -> Iterable[Finding]:
    """Nobody can pursue a dozen priorities at once. EOS (the Entrepreneurial Operating
    System) allows each person three to seven Rocks a quarter; more and none gets done.

    A person holds their personal goals and every active goal they own, explicitly or as
    the lead of the department or team the goal is written under (unless the goal names
    another owner). A department or team holds the active goals written under it, not its
    members'. The limit is `thresholds.max_goals_per_owner` in `cascade.yaml` (default 7);
    the finding points at the person or unit.

    Bad (with the default limit of 7): `bob` leads a team with six goals and owns three
    department goals, nine in all.

    Good: hand some goals to other owners, merge related ones, or move some to the next
    period.
    """
    hierarchy = ctx.hierarchy
    limit = ctx.config.thresholds.max_goals_per_owner
    for person, goals in sorted(hierarchy.person_holdings.items()):
        if len(goals) > limit:
            unit = hierarchy.units[person]
            yield Finding(
                person,
                f"{unit_label(unit)} holds {len(goals)} active goals, more than the limit "
                f"of {limit}: {listing(goals)}",
                unit.origin,
                hint="hand goals to other owners, merge related ones, or defer some",
            )
    for unit_id, goals in sorted(hierarchy.unit_holdings.items()):
        if len(goals) > limit:
            holder = hierarchy.units[unit_id]
            yield Finding(
                unit_id,
                f"{unit_label(holder)} has {len(goals)} active goals, more than the limit of "
                f"{limit}: {listing(goals)}",
                holder.origin,
                hint="focus the unit on fewer goals; move the rest to teams or people, or "
                "defer them",
            )
