"""CAS101-CAS103, CAS112, CAS117: is every goal on a line of sight to an objective, and is
every objective picked up by someone?"""

from __future__ import annotations

from collections.abc import Iterable

from cascade.diagnostics import Severity
from cascade.graph import Hierarchy
from cascade.model import LEVEL_RANK, Department, Goal, Level, Person, Team
from cascade.rules.base import Asking, Context, Finding, GapFacts, gap_rule
from cascade.rules.common import goal_label, live_goals, series, unit_label


def _served_by_unit(hierarchy: Hierarchy, goal: Goal) -> str:
    """`other goals of Operations serve OBJ-1; `: a hint of where an orphan may belong."""
    department = hierarchy.department_of(goal.unit)
    if department is None:
        return ""
    objectives = sorted(hierarchy.unit_objectives(department))
    if not objectives:
        return ""
    unit = hierarchy.units[department]
    return f"other goals of {unit.label} serve {', '.join(objectives[:3])}; "


def _ask_orphan(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"{label} supports nothing: which objective does it serve, or should it be dropped?"


@gap_rule(
    "CAS101",
    "orphan-goal",
    Severity.WARNING,
    "a goal below the objectives supports no goal",
    rank=20,
    question=_ask_orphan,
)
def orphan_goal(ctx: Context) -> Iterable[Finding]:
    """A department, team or personal goal that supports no goal hangs in the air.

    Every goal below the objectives should say, in `supports:`, which goal it serves:
    that link is the goal's line of sight to the strategy (Hoshin Kanri's "catchball",
    the OKR practice of aligning each key result with a goal above). A goal nobody can
    connect to an objective is either missing its link or is work the strategy does not
    need. Objectives are exempt: without `supports` they hang from the vision. Draft and
    dropped goals are exempt.

    A goal that has `supports` but whose chain still never reaches an objective is
    `unlinked-goal` (CAS102) instead, so one missing link gives one finding.

    Bad:

        - id: OPS-3
          title: Consolidate the Newark and Elizabeth warehouses
          # no supports: which objective does this serve?

    Good:

        - id: OPS-3
          title: Consolidate the Newark and Elizabeth warehouses
          supports: OPS-1          # the cycle-time goal it makes possible
    """
    hierarchy = ctx.hierarchy
    for goal in live_goals(hierarchy):
        if goal.level == "objective" or goal.supports:
            continue
        yield Finding(
            goal.id,
            f"{goal_label(goal)} supports no goal",
            goal.origin,
            hint=_served_by_unit(hierarchy, goal)
            + "name the goal it serves in `supports:`, or set `status: dropped`",
        )


def _names_no_goal(hierarchy: Hierarchy, goal: Goal) -> bool:
    """True when some `supports` entry of the goal names no goal (an unknown id, or one
    whose item failed the schema): the finding for it says what is wrong."""
    return any(hierarchy.resolve_target(s.goal)[0] is None for s in goal.supports)


def chain_end(hierarchy: Hierarchy, goal_id: str) -> str:
    """Where the chain of a goal that reaches no objective stops: the goal above it that
    supports nothing (or loops), else the draft or dropped goal it supports itself."""
    end = hierarchy.alignment.ends.get(goal_id, goal_id)
    if end == goal_id:
        parents = hierarchy.parents(goal_id)
        return parents[0] if parents else goal_id
    return end


def _why_end(hierarchy: Hierarchy, end: str, looped: frozenset[str]) -> str:
    """`SALES-9, which supports nothing`: the goal where a chain stops, and why."""
    goal = hierarchy.goals[end]
    if not goal.takes_part:
        return f"{end}, which is {goal.status}"
    if end in looped:
        return f"{end}, which is on a loop of supports links"
    if not goal.supports:
        return f"{end}, which supports nothing"
    parents = hierarchy.parents(end)
    if parents:
        statuses = sorted({hierarchy.goals[p].status for p in parents})
        return f"{end}, which supports only {' or '.join(statuses)} goals ({', '.join(parents)})"
    return f"{end}, whose supports name no goal"


def _ask_unlinked(ask: Asking, gap: GapFacts, label: str) -> str | None:
    # One question per goal where chains stop, naming every goal that hangs from it.
    if gap.goal is None:
        return None
    end = chain_end(ask.hierarchy, gap.goal)
    if not ask.first(f"CAS102 {end}"):
        return None
    hanging = [
        other.goal
        for other in ask.gaps_of("CAS102")
        if other.goal is not None and chain_end(ask.hierarchy, other.goal) == end
    ] or [gap.goal]
    verb = "hangs" if len(hanging) == 1 else "hang"
    title = ask.hierarchy.goals[end].title
    return (
        f'Where does {end} "{title}" belong? {series(hanging, "and")} {verb} from it '
        "without reaching an objective."
    )


@gap_rule(
    "CAS102",
    "unlinked-goal",
    Severity.WARNING,
    "a goal's `supports` chain never reaches an objective",
    rank=30,
    question=_ask_unlinked,
)
def unlinked_goal(ctx: Context) -> Iterable[Finding]:
    """A goal supports another goal, but following `supports` upward never reaches an
    objective: the chain stops at a goal that supports nothing, at a draft or dropped
    goal, or in a loop.

    The goal looks aligned, yet the line of sight from it to the strategy is broken
    higher up. The message names where the chain stops, which is usually the one link
    to fix. Chains count only through goals that take part: support given to a draft or
    dropped goal reaches no objective. A goal whose own `supports` names no goal
    (`unknown-reference`), or that has no `supports` at all (`orphan-goal`), is reported
    by that rule instead.

    Bad:

        - id: KA-9
          title: Map the buying centre of every top-50 account
          supports: SALES-9        # SALES-9 supports nothing

    Good: link SALES-9 to the objective it serves (`supports: OBJ-3`), or link KA-9 to a
    goal that already reaches one.
    """
    hierarchy = ctx.hierarchy
    alignment = hierarchy.alignment
    looped = hierarchy.looped
    for goal in live_goals(hierarchy):
        if goal.level == "objective" or not goal.supports or alignment.reached[goal.id]:
            continue
        if goal.id in looped:
            continue  # `cycle` reports the loop; its members are not also "unlinked"
        if _stops_at_broken(hierarchy, goal):
            continue  # `unknown-reference` or the schema error already says what is wrong
        end = chain_end(hierarchy, goal.id)
        yield Finding(
            goal.id,
            f"{goal_label(goal)} never reaches an objective: its chain stops at "
            + _why_end(hierarchy, end, looped),
            goal.origin,
            ("supports",),
            key=True,
            hint=f"link {end} to the goal it serves, or link {goal.id} to a goal that "
            "reaches an objective",
        )


def _ask_unsupported(ask: Asking, gap: GapFacts, label: str) -> str:
    names = ask.departments
    if not names or len(names) > 6:
        return f"Which department takes on {label}?"
    return f"Who owns {label} in {series(names, 'or')}?"


@gap_rule(
    "CAS103",
    "unsupported-objective",
    Severity.WARNING,
    "no goal supports an objective: it was never cascaded",
    rank=0,
    question=_ask_unsupported,
)
def unsupported_objective(ctx: Context) -> Iterable[Finding]:
    """An objective that no goal supports was never cascaded: no department, team or
    person has said what they will do about it.

    Strategy that is not broken down into the goals of the people who do the work stays
    a slogan (the core of Hoshin Kanri and of OKR alignment). An objective supported
    only by draft or dropped goals counts as not cascaded. An objective supported by
    another objective (an annual objective under a multi-year one) counts as cascaded.

    Bad:

        objectives:
          - id: OBJ-4
            title: Every employee completes 40 hours of training
        # ...and no goal anywhere says `supports: OBJ-4`

    Good (in a department's goals):

        - id: HR-1
          title: Run the Northwind Academy for every site
          supports: OBJ-4
    """
    hierarchy = ctx.hierarchy
    broken = {hierarchy.resolve_target(ref)[0] for ref in hierarchy.plan.broken_supports}
    for goal in live_goals(hierarchy):
        if goal.level != "objective" or hierarchy.is_supported(goal.id):
            continue
        if goal.id in broken:
            continue  # a goal with a schema error supports it: that error says enough
        yield Finding(
            goal.id,
            f"{goal_label(goal)} is supported by no goal: it was never cascaded",
            goal.origin,
            hint=f"have a department goal say `supports: {goal.id}`, or drop the objective",
        )


def _expected_parent_level(hierarchy: Hierarchy, goal: Goal) -> Level | None:
    """The level right above the goal in its own unit's chain.

    A person who belongs to a department directly has no team level to go through; a
    person in no unit at all has the department above them at least.
    """
    if goal.level == "department":
        return "objective"
    if goal.level == "team":
        return "department"
    if goal.level == "individual":
        unit = hierarchy.units.get(goal.unit or "")
        if not isinstance(unit, Person):
            return None
        home = hierarchy.units.get(hierarchy.home_of(unit.id) or "")
        if isinstance(home, Team):
            return "team"
        if isinstance(home, Department):
            return "department"
        if unit.team is None and unit.department is None:
            return "department"
    return None  # a unit that is not defined: unknown-reference says so


def _ask_level_skip(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"Should {label} support a goal of the level just above it instead?"


@gap_rule(
    "CAS112",
    "level-skip",
    Severity.INFO,
    "a goal supports a goal more than one level up",
    rank=170,
    question=_ask_level_skip,
)
def level_skip(ctx: Context) -> Iterable[Finding]:
    """A goal supports a goal more than one level up: a personal goal that serves an
    objective directly, or a team goal that serves an objective.

    That is allowed, but the levels in between do not see the work: the department's
    goals do not add up to what its people do, and nobody in between can help or
    re-prioritise. A person who belongs to a department without a team skips nothing
    when they support a department goal; a person in no unit who supports an objective
    directly skips at least the department level; a goal supporting a goal of its own
    level skips nothing either.

    Bad (a personal goal of someone in the Sales team `key-accounts`):

        - id: CAROL-2
          title: Win three new logos in Boston
          supports: OBJ-3          # skips the team and the department

    Good:

        - id: CAROL-2
          title: Win three new logos in Boston
          supports: KA-1           # the team goal that serves OBJ-3
    """
    hierarchy = ctx.hierarchy
    live = hierarchy.live
    for link in hierarchy.links:
        child, parent = hierarchy.goals[link.child], hierarchy.goals[link.parent]
        if link.child not in live or link.parent not in live:
            continue
        expected = _expected_parent_level(hierarchy, child)
        if expected is None or LEVEL_RANK[parent.level] >= LEVEL_RANK[expected]:
            continue
        skipped = [
            level
            for level, rank in LEVEL_RANK.items()
            if LEVEL_RANK[parent.level] < rank <= LEVEL_RANK[expected]
        ]
        yield Finding(
            child.id,
            f"{goal_label(child)} supports {parent.level} {parent.id} directly, skipping the "
            f"{' and '.join(skipped)} level{'s' if len(skipped) > 1 else ''}",
            child.origin,
            ("supports", link.index),
            hint=f"support a {expected} goal that serves {parent.id}, or waive level-skip "
            "with the reason",
        )


def _ask_unaligned(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"Which objective does {gap.title} serve? None of its goals reaches one."


@gap_rule(
    "CAS117",
    "department-not-aligned",
    Severity.WARNING,
    "none of a department's goals (its teams' and people's included) reaches any objective",
    rank=10,
    question=_ask_unaligned,
)
def department_not_aligned(ctx: Context) -> Iterable[Finding]:
    """A whole department works on goals none of which reaches an objective.

    Each goal may be reported on its own (`orphan-goal`, `unlinked-goal`); this rule
    says what that adds up to: a department whose work has no line of sight to the
    strategy, which the leadership team must settle, not the goal owners. Goals of the
    department's teams and people count. A department without any goal that takes part
    is `unit-without-goals` (CAS104) instead.

    Bad:

        departments:
          - id: facilities
            goals:
              - id: FAC-1
                title: Renovate the head office lobby   # supports nothing

    Good: `supports: OBJ-2` on FAC-1 (if the lobby serves the brand objective), or
    drop the goal.
    """
    hierarchy = ctx.hierarchy
    goals: dict[str, int] = {}
    # Departments a broken goal or a broken reference may link to an objective: that
    # mistake is reported already, and fixing it may settle this.
    doubtful = {hierarchy.department_of(unit) for unit in hierarchy.plan.broken_units}
    for goal in live_goals(hierarchy):
        department = hierarchy.department_of(goal.unit)
        if department is not None:
            goals[department] = goals.get(department, 0) + 1
            if not hierarchy.alignment.reached[goal.id] and _stops_at_broken(hierarchy, goal):
                doubtful.add(department)
    for unit in hierarchy.units.values():
        if not isinstance(unit, Department) or not goals.get(unit.id):
            continue
        if hierarchy.unit_objectives(unit.id) or unit.id in doubtful:
            continue
        count = goals[unit.id]
        none = (
            "its one goal reaches no objective"
            if count == 1
            else f"none of its {count} goals reaches an objective"
        )
        yield Finding(
            unit.id,
            f"{unit_label(unit)}: {none}",
            unit.origin,
            hint="decide which objective the department serves and link its goals to it",
        )


def _stops_at_broken(hierarchy: Hierarchy, goal: Goal) -> bool:
    """True when the goal's own `supports`, or the goal where its chain stops, names no
    goal (an unknown id, or one whose item failed the schema)."""
    if _names_no_goal(hierarchy, goal):
        return True
    return bool(goal.supports) and _names_no_goal(
        hierarchy, hierarchy.goals[chain_end(hierarchy, goal.id)]
    )
