"""CAS004-CAS009: the plan is wrong. Duplicate ids, unknown references, cycles, levels, dates."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from cascade.diagnostics import Severity
from cascade.model import LEVEL_RANK, Item, Period, Plan
from cascade.rules.base import REGISTRY, Context, Finding, rule


def _definitions(plan: Plan) -> Iterator[tuple[str, str, Item]]:
    """(id, kind, item) for everything that defines an id, in plan order."""
    for period in plan.periods:
        yield period.id, "period", period
    for goal in plan.goals():
        yield goal.id, "goal", goal
        for kpi in goal.kpis:
            if kpi.id:
                yield kpi.id, "KPI", kpi
    for department in plan.departments:
        yield department.id, "department", department
    for team in plan.teams:
        yield team.id, "team", team
    for person in plan.people:
        yield person.id, "person", person


@rule(
    "CAS004",
    "duplicate-id",
    Severity.ERROR,
    "an id is defined twice (both places are named)",
)
def duplicate_id(ctx: Context) -> Iterable[Finding]:
    """Every id is unique across the whole plan, so a reference means exactly one thing.

    Goals, KPIs, periods, departments, teams and people share one namespace. The finding
    is at the later definition (files in sorted order) and names the first as file:line.

    Bad:

        objectives:
          - id: OBJ-1
            title: Grow market share
        departments:
          - id: OBJ-1        # the same id as the objective
            name: Sales

    Good: give the department its own id, such as `sales`.
    """
    # Built here and let go of when the rule is done (as is `_Index`'s): kept for the run,
    # an index of every id held 200 MB more at 100,000 people.
    by_id: dict[str, list[tuple[str, Item]]] = {}
    for ident, kind, item in _definitions(ctx.plan):
        by_id.setdefault(ident, []).append((kind, item))
    # Only ids defined more than once need their places looked up (a big plan has none).
    twice = {ident for ident, places in by_id.items() if len(places) > 1}
    for ident in sorted(twice):
        places = by_id[ident]
        goal, dot, number = ident.rpartition(".k")
        if dot and number.isdigit() and goal in twice:
            continue  # the default id of a KPI of a goal defined twice: one mistake
        located = sorted(
            ((ctx.where(item.origin), kind, item) for kind, item in places),
            key=lambda found: found[0],
        )
        there, other_kind, _ = located[0]
        for _, kind, item in located[1:]:
            yield Finding(
                ident,
                f"id {ident!r} is already defined as a {other_kind} at {there.file}:{there.line}",
                item.origin,
                hint=f"rename this {kind}, or remove one of the two definitions",
            )


class _Index:
    """Ids by kind, and near-miss suggestions for references that match none."""

    def __init__(self, plan: Plan) -> None:
        self.kinds: dict[str, str] = {}
        # An id defined twice (duplicate-id) as different kinds: a reference may mean
        # either, and the duplicate is the one mistake to report.
        self.also: dict[str, set[str]] = {}
        for ident, kind, _ in _definitions(plan):
            first = self.kinds.setdefault(ident, kind)
            if first != kind:
                self.also.setdefault(ident, {first}).add(kind)
        self.broken = plan.broken_ids
        self._by_first: dict[str, list[str]] = {}

    def check(
        self, ref: str, wanted: tuple[str, ...], holder: str, field: str
    ) -> tuple[str, str | None] | None:
        """None when `ref` names an id of a wanted kind; else (message, hint)."""
        kind = self.kinds.get(ref)
        if kind in wanted or (kind is None and ref in self.broken):
            return None
        if ref in self.also and self.also[ref].intersection(wanted):
            return None
        expected = " or ".join(wanted)
        if kind is not None:
            return (
                f"{holder} {field} {ref!r}, which is a {kind}, not a {expected}",
                f"name a {expected} here",
            )
        suggestion = self.suggest(ref, wanted)
        hint = f"did you mean {suggestion!r}?" if suggestion else f"define a {expected} {ref!r}"
        if field == "supports" and ref.casefold() == "vision" and not suggestion:
            hint = "only objectives hang from the vision: support an objective, or move the "
            hint += "goal under `objectives:` and leave out `supports`"
        return f"{holder} {field} {ref!r}, which is not defined", hint

    def suggest(self, ref: str, wanted: tuple[str, ...]) -> str | None:
        candidates = [i for i, k in self.kinds.items() if k in wanted]
        folded = {c.casefold(): c for c in candidates}
        if ref.casefold() in folded:
            return folded[ref.casefold()]
        # Keep difflib's quadratic cost off big plans: only ids that could be near misses.
        near = [c for c in candidates if abs(len(c) - len(ref)) <= 2]
        matches = difflib.get_close_matches(ref, near, n=1, cutoff=0.75)
        return matches[0] if matches else None


def _references(
    plan: Plan,
) -> Iterator[tuple[Item, str, str, tuple[Any, ...], tuple[str, ...]]]:
    """(holder, holder label, reference, key path, wanted kinds) for every reference."""
    person = ("person",)
    if plan.organization and plan.organization.period:
        yield (
            plan.organization,
            "the organization",
            plan.organization.period,
            ("period",),
            ("period",),
        )
    for period in plan.periods:
        if period.parent:
            yield period, f"period {period.id}", period.parent, ("parent",), ("period",)
    for goal in plan.goals():
        label = f"goal {goal.id}"
        for i, support in enumerate(goal.supports):
            yield goal, label, support.goal, ("supports", i, "goal"), ("goal", "KPI")
        if goal.owner:
            yield goal, label, goal.owner, ("owner",), person
        if goal.period:
            yield goal, label, goal.period, ("period",), ("period",)
        for i, other in enumerate(goal.depends_on):
            yield goal, label, other, ("depends_on", i), ("goal",)
        for i, initiative in enumerate(goal.initiatives):
            if initiative.owner:
                yield goal, label, initiative.owner, ("initiatives", i, "owner"), person
        for kpi in goal.kpis:
            if kpi.owner:
                yield kpi, f"KPI {kpi.id}", kpi.owner, ("owner",), person
            for i, check in enumerate(kpi.history):
                if check.by:
                    yield kpi, f"KPI {kpi.id}", check.by, ("history", i, "by"), person
    for department in plan.departments:
        if department.lead:
            yield (
                department,
                f"department {department.id}",
                department.lead,
                ("lead",),
                person,
            )
    for team in plan.teams:
        if team.lead:
            yield team, f"team {team.id}", team.lead, ("lead",), person
        yield team, f"team {team.id}", team.department, ("department",), ("department",)
    for member in plan.people:
        if member.team:
            yield member, f"person {member.id}", member.team, ("team",), ("team",)
        if member.department:
            yield (
                member,
                f"person {member.id}",
                member.department,
                ("department",),
                ("department",),
            )


_VERBS = {
    "supports": "supports",
    "owner": "is owned by",
    "lead": "is led by",
    "period": "is in period",
    "parent": "lies in period",
    "depends_on": "depends on",
    "department": "belongs to department",
    "team": "belongs to team",
    "initiatives": "has an initiative owned by",
    "history": "has a check-in by",
}


@rule(
    "CAS005",
    "unknown-reference",
    Severity.ERROR,
    "a reference names no id, or an id of the wrong kind",
)
def unknown_reference(ctx: Context) -> Iterable[Finding]:
    """Every reference must name an id of the right kind that the plan defines.

    References are `supports` (a goal or a KPI), `owner` and `lead` (a person), `period`
    and `parent` (a period), `depends_on` (a goal), a team's `department`, a person's
    `team` or `department`, and the rule codes or names under `waive:`. A near miss (a
    different case, a small typo) gets a "did you mean". The finding is about the item
    that holds the reference and points at the reference itself.

    Bad:

        - id: SALES-1
          title: Increase deal size
          supports: OBJ-01       # the objective is OBJ-1

    Good:

        - id: SALES-1
          title: Increase deal size
          supports: OBJ-1
    """
    index = _Index(ctx.plan)
    for holder, label, ref, path, wanted in _references(ctx.plan):
        problem = index.check(ref, wanted, label, _VERBS.get(str(path[0]), str(path[0])))
        if problem is not None:
            subject = getattr(holder, "id", None)
            yield Finding(subject, problem[0], holder.origin, path, hint=problem[1])
    names = {r.name: r for r in REGISTRY.values()}
    for goal in ctx.plan.goals():
        for key in goal.waive or {}:
            known = REGISTRY.get(key.upper()) or names.get(key.lower())
            if known is None:
                options = [*REGISTRY, *names]
                near = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
                yield Finding(
                    goal.id,
                    f"goal {goal.id} waives {key!r}, which is not a rule",
                    goal.origin,
                    ("waive", key),
                    key=True,
                    hint=f"did you mean {near[0]!r}?" if near else "run `cascade rules`",
                )
            elif not known.gap:
                yield Finding(
                    goal.id,
                    f"goal {goal.id} waives {known.code} {known.name}, an error that "
                    "cannot be waived",
                    goal.origin,
                    ("waive", key),
                    key=True,
                    hint="fix the error instead; only gap rules (CAS1xx) can be waived",
                )


@rule(
    "CAS006",
    "cycle",
    Severity.ERROR,
    "`supports` links form a loop (the loop is named)",
)
def cycle(ctx: Context) -> Iterable[Finding]:
    """`supports` links must not loop back: a goal cannot serve itself, even through others.

    Each loop is reported once, at the `supports` entry of its first member (the smallest
    id), naming every member in order: `A --> B --> C --> A`.

    Bad:

        - id: SALES-1
          supports: KA-1
        - id: KA-1
          supports: SALES-1

    Good: the team goal supports the department goal, not the other way round as well.
    """
    hierarchy = ctx.hierarchy
    for loop in hierarchy.cycles():
        start, after = loop[0], loop[1]
        goal = hierarchy.goals[start]
        index = next(
            (
                link.index
                for link in hierarchy.links
                if link.child == start and link.parent == after
            ),
            0,
        )
        yield Finding(
            start,
            "supports links form a loop: " + " --> ".join(loop),
            goal.origin,
            ("supports", index),
            hint="remove one link of the loop; support flows up, toward the objectives",
        )


@rule(
    "CAS007",
    "level-inversion",
    Severity.ERROR,
    "a goal supports a goal of a lower level",
)
def level_inversion(ctx: Context) -> Iterable[Finding]:
    """A goal may support goals of its own level or above, never below.

    Levels run objective < department < team < individual, and a goal's level is where
    it is written. A department goal that supports a team goal turns the cascade upside
    down; usually the link belongs the other way round.

    Bad (in a department's goals):

        - id: SALES-1
          supports: KA-1           # KA-1 is a team goal

    Good (in the team's goals):

        - id: KA-1
          supports: SALES-1
    """
    hierarchy = ctx.hierarchy
    for link in hierarchy.links:
        child, parent = hierarchy.goals[link.child], hierarchy.goals[link.parent]
        if LEVEL_RANK[parent.level] > LEVEL_RANK[child.level]:
            yield Finding(
                child.id,
                f"{child.level} goal {child.id} supports {parent.level} goal {parent.id}, "
                "a lower level",
                child.origin,
                ("supports", link.index),
                hint=f"turn the link round: {parent.id} should support {child.id}",
            )


@rule(
    "CAS008",
    "invalid-dates",
    Severity.ERROR,
    "end before start, due before start, a period outside its parent",
)
def invalid_dates(ctx: Context) -> Iterable[Finding]:
    """Dates must be in order: a period ends after it starts and lies inside its parent,
    and a goal is not due before it starts. A period cannot lie inside itself: `parent`
    links that come back round (P in Q in P) are reported once, at the smallest id.

    Bad:

        periods:
          - id: 2026-Q1
            start: 2026-01-01
            end: 2026-03-31
            parent: FY2025         # FY2025 ends on 2025-12-31

    Good: `parent: FY2026`.
    """
    periods: dict[str, Period] = {}
    for period in ctx.plan.periods:
        periods.setdefault(period.id, period)
        if period.end < period.start:
            yield Finding(
                period.id,
                f"period {period.id} ends ({period.end}) before it starts ({period.start})",
                period.origin,
                ("end",),
                hint="swap start and end",
            )
    loops = {p.id: loop for p in periods.values() if (loop := _parent_loop(p, periods))}
    for period in ctx.plan.periods:
        parent = periods.get(period.parent or "")
        if period.id in loops:
            parent = None  # on a loop of parents: that is the one finding, at its smallest id
            loop = loops[period.id]
            if periods[period.id] is period and period.id == min(loop):
                yield Finding(
                    period.id,
                    f"period {period.id} lies inside itself: " + " in ".join(loop),
                    period.origin,
                    ("parent",),
                    hint="name as `parent` the period that contains this one, or leave it out",
                )
        if parent is not None and (period.start < parent.start or period.end > parent.end):
            yield Finding(
                period.id,
                f"period {period.id} ({period.start} to {period.end}) lies outside its parent "
                f"{parent.id} ({parent.start} to {parent.end})",
                period.origin,
                ("parent",),
                hint="fix the dates, or name the period that contains it",
            )
    for goal in ctx.plan.goals():
        if goal.start and goal.due and goal.due < goal.start:
            yield Finding(
                goal.id,
                f"goal {goal.id} is due ({goal.due}) before it starts ({goal.start})",
                goal.origin,
                ("due",),
                hint="swap start and due",
            )


def _parent_loop(period: Period, periods: dict[str, Period]) -> list[str] | None:
    """`[P, Q, P]` when the `parent` links from `period` come back to it, else None."""
    chain = [period.id]
    parent = periods.get(period.parent or "")
    while parent is not None and parent.id not in chain:
        chain.append(parent.id)
        parent = periods.get(parent.parent or "")
    if parent is None or parent.id != period.id:
        return None
    return [*chain, period.id]


@rule(
    "CAS009",
    "multiple-parents",
    Severity.ERROR,
    "a goal supports more than one goal while `alignment.single_parent` is true",
)
def multiple_parents(ctx: Context) -> Iterable[Finding]:
    """With `alignment.single_parent: true`, each goal supports exactly one goal.

    Tools such as Perdoo and OpenOKR keep a strict tree; this setting enforces it. Off
    by default: a goal may serve several objectives.

    Bad (with `single_parent: true`):

        - id: SALES-1
          supports: [OBJ-1, OBJ-3]

    Good: split the goal, or choose the objective it serves most.
    """
    if not ctx.config.alignment.single_parent:
        return
    for goal in ctx.plan.goals():
        named = list(dict.fromkeys(s.goal for s in goal.supports))  # a repeat is one goal
        if len(named) > 1:
            second = next(i for i, s in enumerate(goal.supports) if s.goal != named[0])
            yield Finding(
                goal.id,
                f"goal {goal.id} supports {len(named)} goals ({', '.join(named)}); the config "
                "allows one",
                goal.origin,
                ("supports", second),
                hint="keep the one it serves most, or split the goal",
            )


@rule(
    "CAS010",
    "dependency-cycle",
    Severity.ERROR,
    "`depends_on` links form a loop, a goal depending on itself included (the loop is named)",
)
def dependency_cycle(ctx: Context) -> Iterable[Finding]:
    """`depends_on` links must not loop: goals that wait for each other never start.

    `depends_on` says a goal cannot be reached before another one is; a loop of such links
    (a goal depending on itself included) means none of its goals can be first. Each loop
    is reported once, at the `depends_on` entry of its first member (the smallest id),
    naming every member in order: `A --> B --> A`.

    Bad:

        - id: WH-2
          depends_on: [IT-4]
        - id: IT-4
          depends_on: [WH-2]

    Good: decide which comes first, and keep the link on the goal that waits.
    """
    hierarchy = ctx.hierarchy
    for loop in hierarchy.dependency_cycles():
        start, after = loop[0], loop[1]
        goal = hierarchy.goals[start]
        index = goal.depends_on.index(after) if after in goal.depends_on else 0
        yield Finding(
            start,
            "depends_on links form a loop: " + " --> ".join(loop),
            goal.origin,
            ("depends_on", index),
            hint="remove one link of the loop: one of these goals has to come first",
        )
