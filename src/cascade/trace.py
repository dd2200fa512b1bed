"""Line of sight: every chain of `supports` links from a goal (or a person's goals) up to the
vision, each step with its owner and progress, and where and why a chain breaks."""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from typing import Literal

from cascade.errors import CascadeError
from cascade.graph import Hierarchy
from cascade.model import Goal, Plan
from cascade.progress import ProgressModel

BreakKind = Literal["orphaned", "unlinked", "cycle", "inactive", "unknown-reference"]
CHAIN_LIMIT = 100  # per goal; a plan with more chains than this is a graph, not a cascade


@dataclass(frozen=True, slots=True)
class Step:
    """One goal on a chain, as a reader of the trace sees it."""

    id: str
    title: str
    level: str
    unit: str | None
    owner: str | None
    status: str  # the goal's own status: active, draft, achieved, missed, dropped
    progress: float | None
    expected: float | None
    tracking: str | None  # on track, at risk, off track; None when not active or unknown


@dataclass(frozen=True, slots=True)
class Break:
    """Why a chain stops short of the vision, and at which goal."""

    kind: BreakKind
    at: str
    message: str


@dataclass(frozen=True, slots=True)
class Chain:
    steps: list[Step]
    broken: Break | None

    @property
    def reaches_vision(self) -> bool:
        return self.broken is None


@dataclass
class GoalTrace:
    step: Step
    chains: list[Chain]
    notes: list[str] = field(default_factory=list)
    truncated: bool = False


@dataclass
class Trace:
    """The trace of one id: what it is, and the line of sight of each of its goals."""

    subject: str
    kind: str  # goal, KPI, person, team, department
    label: str
    vision: str | None
    goals: list[GoalTrace]

    @property
    def chains(self) -> list[Chain]:
        return [chain for goal in self.goals for chain in goal.chains]


class Tracer:
    """Builds traces over one hierarchy and one progress model."""

    def __init__(self, plan: Plan, hierarchy: Hierarchy, progress: ProgressModel) -> None:
        self.plan = plan
        self.hierarchy = hierarchy
        self.progress = progress

    def trace(self, ident: str) -> Trace:
        """The trace of a goal, KPI, person, team or department; unknown ids raise."""
        hierarchy = self.hierarchy
        vision = self.plan.organization.vision if self.plan.organization else None
        if ident in hierarchy.goals:
            goal = hierarchy.goals[ident]
            return Trace(ident, "goal", goal.title, vision, [self.goal_trace(goal)])
        if ident in hierarchy.kpis:
            kpi = hierarchy.kpis[ident]
            goal = hierarchy.goals[kpi.goal_id]
            traced = self.goal_trace(goal)
            traced.notes.insert(0, f"KPI {ident} measures goal {goal.id}")
            return Trace(ident, "KPI", kpi.name, vision, [traced])
        unit = hierarchy.units.get(ident)
        if unit is not None:
            kind = {"Department": "department", "Team": "team"}.get(type(unit).__name__, "person")
            goals = self.goals_of_person(ident) if kind == "person" else self._written(ident)
            return Trace(ident, kind, unit.label, vision, [self.goal_trace(goal) for goal in goals])
        raise CascadeError(self._unknown(ident))

    def goals_of_person(self, person: str) -> list[Goal]:
        """Their personal goals and every goal they own (in plan order)."""
        return [
            goal
            for goal in self.hierarchy.goals.values()
            if goal.unit == person or self.hierarchy.owner_of(goal) == person
        ]

    def _written(self, unit: str) -> list[Goal]:
        return [goal for goal in self.hierarchy.goals.values() if goal.unit == unit]

    def step(self, goal: Goal) -> Step:
        return Step(
            id=goal.id,
            title=goal.title,
            level=goal.level,
            unit=goal.unit,
            owner=self.hierarchy.owner_of(goal),
            status=goal.status,
            progress=self.progress.progress(goal.id),
            expected=self.progress.expected(goal),
            tracking=self.progress.status(goal),
        )

    def goal_trace(self, goal: Goal) -> GoalTrace:
        hierarchy = self.hierarchy
        unknown = [s.goal for s in goal.supports if hierarchy.resolve_target(s.goal)[0] is None]
        paths = hierarchy.line_of_sight(goal.id, limit=CHAIN_LIMIT + 1)
        traced = GoalTrace(self.step(goal), [], truncated=len(paths) > CHAIN_LIMIT)
        if not goal.takes_part:
            traced.notes.append(
                f"{goal.id} is {goal.status}: it takes no part in progress or gap rules"
            )
        if unknown and (hierarchy.parents(goal.id) or goal.level == "objective"):
            names = ", ".join(unknown)
            traced.notes.append(f"{goal.id} also supports {names}, not defined in the plan")
        for kpi in goal.kpis:  # what its owners last said of its numbers
            reading = self.progress.reading(kpi)
            if reading is not None and reading.note:
                when = f" on {reading.date}" if reading.date else ""
                traced.notes.append(f"latest check-in of {kpi.key}{when}: {reading.note}")
        for path in paths[:CHAIN_LIMIT]:
            steps = [self.step(hierarchy.goals[g]) for g in path]
            traced.chains.append(Chain(steps, self._break(path, unknown)))
        return traced

    def _break(self, path: list[str], unknown: list[str]) -> Break | None:
        hierarchy = self.hierarchy
        goals = hierarchy.goals
        top = goals[path[-1]]
        start = goals[path[0]]
        if len(path) == 1 and start.level != "objective":
            if unknown:
                names = ", ".join(unknown)
                return Break(
                    "unknown-reference",
                    start.id,
                    f"broken: {start.id} supports {names}, which the plan does not define",
                )
            return Break(
                "orphaned",
                start.id,
                f"orphaned: {start.id} supports no goal, so it serves no objective",
            )
        if top.level != "objective":
            looping = [p for p in hierarchy.parents(top.id) if p in path]
            if looping:
                loop = [*path[path.index(looping[0]) :], looping[0]]
                return Break("cycle", top.id, "broken by a loop: " + " --> ".join(loop))
            return Break(
                "unlinked",
                top.id,
                f"unlinked: the chain ends at {top.id} ({top.level} goal), which supports "
                "no goal and never reaches an objective",
            )
        for below, ident in itertools.pairwise(path):
            above = goals[ident]
            if not above.takes_part:
                return Break(
                    "inactive",
                    above.id,
                    f"broken: {below} supports {above.id}, a {above.status} goal that "
                    "takes no part in the cascade",
                )
        return None

    def _unknown(self, ident: str) -> str:
        plan = self.plan
        periods = {p.id for p in plan.periods}
        if ident in periods:
            return (
                f"{ident!r} is a period; trace takes the id of a goal, KPI, person, team "
                "or department"
            )
        if ident in plan.broken_ids:
            return f"{ident!r} could not be read: fix its schema errors (`cascade validate`)"
        known = [*self.hierarchy.goals, *self.hierarchy.kpis, *self.hierarchy.units]
        lowered = {k.lower(): k for k in known}
        near = [lowered[ident.lower()]] if ident.lower() in lowered else []
        near = near or difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return f"unknown id {ident!r}: no goal, KPI, person, team or department has it{hint}"
