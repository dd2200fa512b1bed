"""The `cascade close` report as data: each goal of a period scored and graded at its end,
the objectives as trees, the departments' means, and what the team must decide before the
next period. Renderers only format it."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

from cascade.config import CloseBands
from cascade.errors import CascadeError
from cascade.graph import Hierarchy
from cascade.history import Eased
from cascade.model import Goal, Period, Plan
from cascade.rules import Context

GRADES = ("met", "partial", "missed", "unknown")
QUESTIONS_PER_KIND = 10  # as in the gaps report: past this many, one question stands for the rest


@dataclass(frozen=True, slots=True)
class Scored:
    """One goal of the period: its score (progress at the date judged, two decimals), its
    grade for its commitment, and the status its grade suggests."""

    id: str
    level: str
    title: str
    unit: str | None
    department: str | None
    owner: str | None
    owner_name: str | None
    commitment: str
    score: float | None
    grade: str
    status: str
    suggested_status: str | None  # None: the score is unknown
    why_unknown: str | None


@dataclass(frozen=True, slots=True)
class DepartmentScore:
    id: str
    name: str
    mean_score: float | None  # over the known scores of its goals, its teams' and people's
    counts: dict[str, int]


@dataclass
class CloseReport:
    organization: str | None
    period: str
    start: datetime.date
    end: datetime.date
    judged_at: datetime.date
    files: int
    plan_errors: int
    tree: list[tuple[int, Scored]]  # (depth, goal): every goal of the period once
    departments: list[DepartmentScore]
    eased: list[Eased]
    in_git: bool
    questions: list[str] = field(default_factory=list)

    @property
    def preview(self) -> bool:
        return self.judged_at < self.end

    @property
    def days_left(self) -> int:
        return (self.end - self.judged_at).days

    @property
    def goals(self) -> list[Scored]:
        """Every goal of the period, in tree order: each objective, then the goals below it."""
        return [goal for _, goal in self.tree]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(GRADES, 0)
        for goal in self.goals:
            counts[goal.grade] += 1
        return counts

    @property
    def explain(self) -> list[Scored]:
        """Committed goals not met: each needs an explanation."""
        return [
            g
            for g in self.goals
            if g.commitment == "committed" and g.grade in ("partial", "missed")
        ]

    @property
    def low_bar(self) -> list[Scored]:
        """Aspirational goals at 1.00: was the bar too low?"""
        return [g for g in self.goals if g.commitment == "aspirational" and g.score == 1.0]

    @property
    def unknown(self) -> list[Scored]:
        return [g for g in self.goals if g.score is None]

    @property
    def status_to_set(self) -> list[Scored]:
        """Active goals with a known score: the status their grade suggests."""
        return [g for g in self.goals if g.status == "active" and g.suggested_status]

    @property
    def contradictions(self) -> list[Scored]:
        """`achieved` but graded missed, `missed` but graded met."""
        return [
            g
            for g in self.goals
            if (g.status == "achieved" and g.grade == "missed")
            or (g.status == "missed" and g.grade == "met")
        ]


def find_period(plan: Plan, ident: str) -> Period:
    """The period `ident` names; an unknown one is a one-line error with a "did you mean"."""
    for period in plan.periods:
        if period.id == ident:
            return period
    known = sorted({p.id for p in plan.periods})
    folded = {k.casefold(): k for k in known}
    near = [folded[ident.casefold()]] if ident.casefold() in folded else []
    near = near or difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    listed = f" (the plan has {', '.join(known)})" if known and not near and len(known) <= 8 else ""
    raise CascadeError(f"no period {ident!r} in the plan{hint}{listed}")


def judged_at(period: Period, as_of: datetime.date) -> datetime.date:
    """The period's end, or the as-of date when that is earlier (a preview)."""
    return min(period.end, as_of)


def score_of(progress: float | None) -> float | None:
    return None if progress is None else round(progress, 2)


def grade_of(score: float | None, commitment: str, bands: CloseBands) -> str:
    if score is None:
        return "unknown"
    met, partial = bands.aspirational if commitment == "aspirational" else bands.committed
    if score >= met:
        return "met"
    if score >= partial:
        return "partial"
    return "missed"


def build(
    context: Context,
    period: Period,
    *,
    files: int,
    plan_errors: int,
    eased: list[Eased],
    in_git: bool,
) -> CloseReport:
    """The report of `period`, with `context` judged at the date to judge it at."""
    hierarchy, progress = context.hierarchy, context.progress
    bands = context.config.settings.close
    plan = context.plan
    in_period = _periods_within(plan, period.id)
    default = plan.organization.period if plan.organization else None
    scope = [
        goal
        for goal in hierarchy.goals.values()
        if (goal.period or default) in in_period and goal.status not in ("draft", "dropped")
    ]
    ids = {goal.id for goal in scope}
    people = {person.id: person.name for person in plan.people}

    def scored(goal: Goal) -> Scored:
        score = score_of(progress.progress(goal.id))
        grade = grade_of(score, goal.commitment, bands)
        owner = hierarchy.owner_of(goal)
        return Scored(
            id=goal.id,
            level=goal.level,
            title=goal.title,
            unit=goal.unit,
            department=hierarchy.department_of(goal.unit),
            owner=owner,
            owner_name=people.get(owner or ""),
            commitment=goal.commitment,
            score=score,
            grade=grade,
            status=goal.status,
            suggested_status=None
            if score is None
            else ("achieved" if grade == "met" else "missed"),
            why_unknown=_why_unknown(goal, context) if score is None else None,
        )

    tree = [
        (depth, scored(hierarchy.goals[ident])) for depth, ident in _tree(hierarchy, scope, ids)
    ]
    report = CloseReport(
        organization=plan.organization.name if plan.organization else None,
        period=period.id,
        start=period.start,
        end=period.end,
        judged_at=context.as_of,
        files=files,
        plan_errors=plan_errors,
        tree=tree,
        departments=_departments(hierarchy, [goal for _, goal in tree]),
        eased=[e for e in eased if e.goal is None or e.goal in ids],
        in_git=in_git,
    )
    report.questions = _questions(report)
    return report


def _suggested(grade: str) -> str | None:
    """The status a grade suggests: `met` -> achieved, else missed; none when unknown."""
    if grade == "unknown":
        return None
    return "achieved" if grade == "met" else "missed"


def _periods_within(plan: Plan, top: str) -> set[str]:
    """`top` and every period that lies inside it through `parent` (loops stop)."""
    parents = {p.id: p.parent for p in plan.periods}
    found = {top}
    for ident in parents:
        seen: set[str] = set()
        at: str | None = ident
        while at is not None and at not in seen:
            if at == top:
                found.add(ident)
                break
            seen.add(at)
            at = parents.get(at)
    return found


def _tree(hierarchy: Hierarchy, scope: list[Goal], ids: set[str]) -> list[tuple[int, str]]:
    """The period's goals as trees: each objective with the goals that support it, each goal
    drawn once (under the first goal that reaches it), then the goals under no objective of
    the period, each with its own supporters."""
    order = {goal.id: n for n, goal in enumerate(hierarchy.goals.values())}
    drawn: set[str] = set()
    out: list[tuple[int, str]] = []

    def draw(root: str) -> None:
        stack = [(0, root)]
        while stack:
            depth, ident = stack.pop()
            if ident in drawn:
                continue
            drawn.add(ident)
            out.append((depth, ident))
            children = [c for c in hierarchy.children(ident) if c in ids and c not in drawn]
            for child in sorted(set(children), key=order.__getitem__, reverse=True):
                stack.append((depth + 1, child))

    for goal in scope:
        if goal.level == "objective":
            draw(goal.id)
    # What is left is under no objective of the period: its tops first (goals whose
    # parents are outside the period), then anything a loop kept from them.
    for goal in scope:
        if goal.id not in drawn and not any(p in ids for p in hierarchy.parents(goal.id)):
            draw(goal.id)
    for goal in scope:
        draw(goal.id)
    return out


def _why_unknown(goal: Goal, context: Context) -> str:
    hierarchy, progress = context.hierarchy, context.progress
    supporters = [c for c in hierarchy.children(goal.id) if hierarchy.goals[c].takes_part]
    if not goal.kpis and not supporters:
        return "no KPI and no supporting goal"
    if goal.kpis and all(progress.value(kpi) is None for kpi in goal.kpis):
        if not supporters:
            return f"no reading on or before {context.as_of}"
        return f"no reading on or before {context.as_of}, and no score from its supporters"
    if goal.kpis:
        return "its KPIs have no baseline or target to score against"
    return "none of its supporting goals has a score"


def _departments(hierarchy: Hierarchy, goals: list[Scored]) -> list[DepartmentScore]:
    found: list[DepartmentScore] = []
    for unit in hierarchy.units.values():
        if unit.id != hierarchy.department_of(unit.id):
            continue  # not a department
        mine = [g for g in goals if g.department == unit.id]
        if not mine:
            continue
        known = [g.score for g in mine if g.score is not None]
        counts = dict.fromkeys(GRADES, 0)
        for goal in mine:
            counts[goal.grade] += 1
        mean = round(sum(known) / len(known), 2) if known else None
        found.append(DepartmentScore(unit.id, unit.label, mean, counts))
    return found


def _label(goal: Scored) -> str:
    return f'{goal.id} "{goal.title}"'


def _questions(report: CloseReport) -> list[str]:
    """The retrospective's questions, most pressing first, at most ten of a kind."""
    kinds: list[list[str]] = [
        [
            f"{_label(g)} scored {g.score:.2f} ({g.grade}) as a committed goal: what stopped "
            "it, and does it carry over into the next period?"
            for g in report.explain
            if g.score is not None
        ],
        [
            f"{_label(g)} is marked {g.status} but scored {g.score:.2f} ({g.grade}): which is "
            "right?"
            for g in report.contradictions
            if g.score is not None
        ],
        [
            f"The target of {e.kpi} was eased from {e.before} to {e.after} on {e.commit.date} "
            f"by {e.commit.author}: was that agreed, and is it still the bar?"
            for e in report.eased
        ],
        [
            f"{_label(g)} has no score ({g.why_unknown}): how will it be measured next period?"
            for g in report.unknown
        ],
        [
            f"{_label(g)} reached 1.00 as an aspirational goal: was the bar too low?"
            for g in report.low_bar
        ],
    ]
    out: list[str] = []
    for questions in kinds:
        out += questions[:QUESTIONS_PER_KIND]
        if len(questions) > QUESTIONS_PER_KIND:
            out.append(f"{len(questions) - QUESTIONS_PER_KIND} more like these: who takes them on?")
    pending = len(report.status_to_set)
    if pending and not report.preview:
        out.append(
            f"{pending} goal{'s are' if pending != 1 else ' is'} still active: who sets "
            f"{'their' if pending != 1 else 'its'} final status (achieved or missed)?"
        )
    return out
