"""The map's view model: typed, sorted records built once from the plan, the hierarchy, the
progress model and the findings; every format renders it and `--format json` prints it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

from cascade.collector import collector_paused
from cascade.diagnostics import Diagnostic, Severity
from cascade.graph import Hierarchy, Link
from cascade.model import LEVEL_RANK, Goal, Kpi, Person, Plan, Unit
from cascade.progress import ProgressModel, kpi_progress
from cascade.render.layout import Layout, Row, Scope, lay_out, natural_key, natural_sorted
from cascade.result import Result
from cascade.rules import Context

if TYPE_CHECKING:
    from cascade.meter import Meter

VIEW_VERSION = 1
PERSPECTIVES = ("financial", "customer", "internal", "learning")
HEALTHS = ("on track", "at risk", "off track")


def _ratio(value: float | None) -> float | None:
    # Four decimals are more than any reader needs and keep the JSON short and stable.
    return None if value is None else round(value, 4)


_DAYS: dict[datetime.date, str] = {}


def _day(value: datetime.date | None) -> str | None:
    # A plan has few distinct dates and a big one hundreds of thousands of them: share
    # the strings.
    if value is None:
        return None
    text = _DAYS.get(value)
    if text is None:
        text = _DAYS[value] = value.isoformat()
    return text


# The records made once per goal, KPI, check-in and finding are plain (not frozen) slotted
# dataclasses: a frozen one is three times slower to make, which a 300,000-goal plan feels.
# Nothing changes them once built, except `ViewBuilder` dropping a packed goal's details.


@dataclass(slots=True)
class GapView:
    """A finding about an item shown on the map (a gap, or an error in the plan)."""

    rule: str
    name: str
    severity: str
    message: str
    hint: str | None
    file: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class WaiverView:
    rule: str
    name: str
    reason: str


@dataclass(slots=True)
class CheckInView:
    date: str
    value: float
    note: str | None = None
    confidence: float | None = None
    by: str | None = None


@dataclass(slots=True)
class KpiView:
    id: str
    name: str
    kind: str
    unit: str | None
    baseline: float | None
    target: float | None
    current: float | None
    direction: str | None  # as stated, else what baseline and target imply
    range: tuple[float | None, float | None] | None
    done: bool | None
    as_of: str | None
    owner: str | None
    owner_name: str | None
    source: str | None
    frequency: str | None
    history: list[CheckInView]  # the readings known at the date, oldest first
    progress: float | None
    health: str | None
    supported_by: list[str]  # goals whose `supports` names this KPI
    gaps: list[GapView]

    @property
    def note(self) -> str | None:
        """The latest check-in's note, if it has one."""
        return self.history[-1].note if self.history else None

    @property
    def state(self) -> str:
        if self.kind == "milestone":
            return "achieved" if self.done else (self.health or "no data").replace(" ", "-")
        return (self.health or "no data").replace(" ", "-")


@dataclass(slots=True)
class LinkView:
    """A goal this goal supports: with the summed weight and the key results it names."""

    goal: str
    weight: float
    kpis: list[str]


@dataclass(frozen=True, slots=True)
class InitiativeView:
    title: str
    owner: str | None
    owner_name: str | None
    due: str | None
    impact: str | None


@dataclass(frozen=True, slots=True)
class RiskView:
    risk: str
    mitigation: str | None


@dataclass(slots=True)
class GoalView:
    id: str
    title: str
    description: str | None
    level: str
    unit: str | None
    unit_name: str | None
    department: str | None
    owner: str | None  # as written, else the unit's lead, else the person of a personal goal
    owner_name: str | None
    status: str  # the plan's status: draft | active | achieved | missed | dropped
    perspective: str | None
    commitment: str
    confidence: float | None
    period: str | None
    start: str | None  # the window progress is measured over (dates default to the period)
    due: str | None
    progress: float | None
    expected: float | None
    health: str | None  # on track | at risk | off track; None when not active or unknown
    parents: list[LinkView]
    children: list[str]
    objectives: list[str]
    depth: int
    focus: bool  # false: shown only as the line of sight of a --unit's goals
    tree_parent: str | None
    kpis: list[KpiView]
    initiatives: list[InitiativeView]
    assumptions: list[str]
    risks: list[RiskView]
    depends_on: list[str]
    tags: list[str]
    waived: list[WaiverView]
    gaps: list[GapView]

    @property
    def state(self) -> str:
        """One word for the goal's colour: on-track, at-risk, off-track, no-data, or the
        plan status when it is not active (achieved, missed, draft, dropped)."""
        if self.status != "active":
            return self.status
        return (self.health or "no data").replace(" ", "-")

    @property
    def all_gaps(self) -> list[GapView]:
        """The goal's findings and its KPIs', most severe first."""
        found = [*self.gaps, *(gap for kpi in self.kpis for gap in kpi.gaps)]
        return sorted(found, key=lambda g: (-Severity(g.severity).rank, g.rule))


@dataclass(frozen=True, slots=True)
class UnitView:
    id: str
    name: str
    kind: str  # department | team | person
    department: str | None
    parent: str | None  # the team or department a team or person belongs to
    lead: str | None
    lead_name: str | None
    role: str | None
    goals: list[str]
    gaps: list[GapView]


@dataclass(frozen=True, slots=True)
class CellView:
    objective: str
    goals: list[str]


@dataclass(frozen=True, slots=True)
class MatrixRowView:
    department: str
    name: str
    cells: list[CellView]


@dataclass(frozen=True, slots=True)
class MatrixView:
    """Departments x objectives: which of a department's goals reach each objective."""

    objectives: list[str]
    rows: list[MatrixRowView]


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    name: str
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class GapSummary:
    errors: int
    warnings: int
    info: int
    waived: int
    rules: list[RuleCount]


@dataclass(frozen=True, slots=True)
class Counts:
    goals: int
    objectives: int
    active: int
    on_track: int
    at_risk: int
    off_track: int
    unknown: int  # active, but progress or the time window is unknown


@dataclass(frozen=True, slots=True)
class OrganizationView:
    name: str
    vision: str | None
    mission: str | None
    values: list[str]
    period: str | None


@dataclass(frozen=True, slots=True)
class ScopeView:
    root: str | None
    depth: int | None
    unit: str | None
    trail: list[str]  # the --root goal's line of sight up to an objective, nearest first


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the Markdown map: an objective (or the --root goal) and the tree below."""

    goal: str | None  # None: the goals that reach no objective
    rows: list[Row]


@dataclass
class MapView:
    """Everything a map shows, sorted; JSON is `to_json()`, templates read the attributes."""

    version: int
    as_of: str
    organization: OrganizationView | None
    scope: ScopeView
    roots: list[str]
    unlinked: list[str]
    goals: list[GoalView]
    units: list[UnitView]
    perspectives: dict[str, list[str]]
    matrix: MatrixView
    counts: Counts
    gaps: GapSummary
    # Presentation helpers, not part of the JSON:
    tree: list[Row] = field(default_factory=list)
    unlinked_tree: list[Row] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    by_id: dict[str, GoalView] = field(default_factory=dict)
    units_by_id: dict[str, UnitView] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # person id -> name
    # A big plan's HTML page: the goals packed while the view was built (render/compact.py);
    # then `goals` holds the tops whole and the others without their details.
    packed: Packed | None = None

    JSON_FIELDS = (
        "version",
        "as_of",
        "organization",
        "scope",
        "roots",
        "unlinked",
        "goals",
        "units",
        "perspectives",
        "matrix",
        "counts",
        "gaps",
    )

    def goal(self, goal_id: str) -> GoalView:
        return self.by_id[goal_id]

    def has(self, goal_id: str) -> bool:
        return goal_id in self.by_id

    def top_place(self, goal_id: str) -> str:
        """Where a reference finds a goal drawn under no goal, which only a goal on a
        `supports` loop can be while others link to it (a loop has no first goal)."""
        if goal_id in self.unlinked:
            return "drawn among the goals that reach no objective"
        return "drawn at the top"

    def to_json(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in self.JSON_FIELDS}


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and lists as JSON-ready dicts and lists (properties left out)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def effective_owner(goal: Goal, hierarchy: Hierarchy) -> str | None:
    """The owner as written, else the unit's lead, else the person of a personal goal."""
    if goal.owner:
        return goal.owner
    unit = hierarchy.units.get(goal.unit or "")
    if unit is None:
        return None
    if isinstance(unit, Person):
        return unit.id
    lead = getattr(unit, "lead", None)
    return lead if isinstance(lead, str) else None


def _unit_kind(unit: Unit) -> str:
    return {"Department": "department", "Team": "team"}.get(type(unit).__name__, "person")


def build(result: Result, context: Context, scope: Scope) -> MapView:
    """The view model of the plan that `result` ran over (`context`), for one scope."""
    return ViewBuilder.of(result, context, scope).build()


class ViewBuilder:
    """Builds the view: the layout first (so its size is known), then every record."""

    @classmethod
    def of(cls, result: Result, context: Context, scope: Scope) -> ViewBuilder:
        return cls(context.plan, context.hierarchy, context.progress, result, scope)

    def __init__(
        self,
        plan: Plan,
        hierarchy: Hierarchy,
        progress: ProgressModel,
        result: Result,
        scope: Scope,
    ) -> None:
        self.plan = plan
        self.h = hierarchy
        self.p = progress
        self.result = result
        self.scope = scope
        self.layout: Layout = lay_out(hierarchy, scope)
        self.names = {u.id: u.label for u in plan.people}
        # Findings by subject; their records are made with the goal's, so that a packed
        # goal's are dropped with it.
        self.findings: dict[str, list[Diagnostic]] = {}
        for diagnostic in result.diagnostics:
            if diagnostic.subject is not None:
                self.findings.setdefault(diagnostic.subject, []).append(diagnostic)
        self.waivers: dict[str, list[WaiverView]] = {}
        for waived in result.waived:
            subject = waived.diagnostic.subject
            if subject is not None:
                owner = self.h.kpis[subject].goal_id if subject in self.h.kpis else subject
                self.waivers.setdefault(owner, []).append(
                    WaiverView(waived.diagnostic.rule, waived.diagnostic.name, waived.reason)
                )
        self.via: dict[str, list[str]] = {}
        # child -> its links, in order (grouped by parent when its record is made)
        self.links: dict[str, list[Link]] = {}
        for link in self.h.links:
            self.links.setdefault(link.child, []).append(link)
            if link.kpi is not None and link.child not in self.via.get(link.kpi, []):
                self.via.setdefault(link.kpi, []).append(link.child)

    def name(self, person: str | None) -> str | None:
        return None if person is None else self.names.get(person, person)

    def gaps(self, subject: str) -> list[GapView]:
        return [_gap(d) for d in self.findings.get(subject, ())]

    @property
    def size(self) -> int:
        """How many goals the map shows."""
        return len(self.layout.goals)

    def build(
        self,
        each: Callable[[GoalView], object] | None = None,
        meter: Meter | None = None,
    ) -> MapView:
        """The view. `each` sees every goal's record as it is made; then the view keeps the
        tops whole and the other goals without their details (lists emptied, no
        description), and leaves out Markdown's sections: a packed HTML page needs no more.
        """
        # Hundreds of thousands of records, none of them cyclic garbage: without this the
        # collector walks them all again and again (half the time of a big plan).
        with collector_paused():
            return self._build(each, meter)

    def _build(self, each: Callable[[GoalView], object] | None, meter: Meter | None) -> MapView:
        layout = self.layout
        ids = natural_sorted(layout.goals)
        ids.sort(key=lambda g: LEVEL_RANK[self.h.goals[g].level])
        tops = set(layout.tops)
        kpis: set[str] = set()
        goals: list[GoalView] = []
        for number, goal_id in enumerate(ids, start=1):
            record = self.goal(self.h.goals[goal_id])
            kpis.update(k.id for k in record.kpis)
            if each is not None:
                each(record)
                if goal_id not in tops:
                    _slim(record)
            goals.append(record)
            if meter is not None and number % 512 == 0:
                meter.advance(512)
        by_id = {g.id: g for g in goals}
        units = self.units(goals)
        organization = self.plan.organization
        view = MapView(
            version=VIEW_VERSION,
            as_of=self.p.as_of.isoformat(),
            organization=None
            if organization is None
            else OrganizationView(
                organization.name,
                organization.vision,
                organization.mission,
                list(organization.values),
                organization.period,
            ),
            scope=ScopeView(self.scope.root, self.scope.depth, self.scope.unit, self.trail()),
            roots=list(layout.tops),
            unlinked=list(layout.unlinked),
            goals=goals,
            units=units,
            perspectives=self.perspectives(goals),
            matrix=self.matrix(goals),
            counts=self.counts(goals),
            gaps=self.gap_summary(goals, units, kpis),
            tree=layout.rows(layout.tops),
            unlinked_tree=layout.rows(layout.unlinked),
            by_id=by_id,
            units_by_id={u.id: u for u in units},
            names=dict(self.names),
        )
        if each is None:
            view.sections = self.sections(goals)
        return view

    def goal(self, goal: Goal) -> GoalView:
        h, layout = self.h, self.layout
        start, due = self.p.window(goal)
        unit = h.units.get(goal.unit or "")
        owner = effective_owner(goal, h)
        # parent -> the KPIs this goal's `supports` names there (empty: the goal itself)
        links: dict[str, list[str]] = {}
        for link in self.links.get(goal.id, ()):
            kpis = links.setdefault(link.parent, [])
            if link.kpi is not None and link.kpi not in kpis:
                kpis.append(link.kpi)
        parents = [
            LinkView(parent, h.weight(goal.id, parent), natural_sorted(links[parent]))
            for parent in natural_sorted(links)
        ]
        objectives = h.objectives_reached.get(goal.id, frozenset()) - {goal.id}
        return GoalView(
            id=goal.id,
            title=goal.title,
            description=goal.description,
            level=goal.level,
            unit=goal.unit,
            unit_name=unit.label if unit is not None else None,
            department=h.department_of(goal.unit),
            owner=owner,
            owner_name=self.name(owner),
            status=goal.status,
            perspective=goal.perspective,
            commitment=goal.commitment,
            confidence=goal.confidence,
            period=goal.period or self.p.default_period,
            start=_day(start),
            due=_day(due),
            progress=_ratio(self.p.progress(goal.id)),
            expected=_ratio(self.p.expected(goal)),
            health=self.p.status(goal),
            parents=parents,
            children=natural_sorted(h.children(goal.id)),
            objectives=natural_sorted(objectives),
            depth=layout.depth[goal.id],
            focus=goal.id in layout.focus,
            tree_parent=layout.tree_parent[goal.id],
            kpis=[self.kpi(kpi, owner) for kpi in goal.kpis],
            initiatives=[
                InitiativeView(i.title, i.owner, self.name(i.owner), _day(i.due), i.impact)
                for i in goal.initiatives
            ],
            assumptions=list(goal.assumptions),
            risks=[RiskView(r.risk, r.mitigation) for r in goal.risks],
            depends_on=list(goal.depends_on),
            tags=list(goal.tags),
            waived=sorted(self.waivers.get(goal.id, []), key=lambda w: w.rule),
            gaps=self.gaps(goal.id),
        )

    def kpi(self, kpi: Kpi, goal_owner: str | None) -> KpiView:
        owner = kpi.owner or goal_owner
        # The KPI as known at the date: its reading then, and the readings up to it.
        reading = self.p.reading(kpi)
        value = reading.value if reading is not None else None
        known = self.p.readings.known(kpi, self.p.as_of)
        return KpiView(
            id=kpi.key,
            name=kpi.name,
            kind=kpi.kind,
            unit=kpi.unit,
            baseline=kpi.baseline,
            target=kpi.target,
            current=value if kpi.kind == "metric" else None,
            direction=kpi.effective_direction(),
            range=kpi.range,
            done=(value == 1) if kpi.kind == "milestone" and reading is not None else None,
            as_of=_day(reading.date) if reading is not None else None,
            owner=owner,
            owner_name=self.name(owner),
            source=kpi.source,
            frequency=kpi.frequency,
            history=[
                CheckInView(_day(r.date) or "", r.value, r.note, r.confidence, r.by) for r in known
            ],
            progress=_ratio(kpi_progress(kpi, value)),
            health=self.p.kpi_status(kpi),
            supported_by=natural_sorted(
                g for g in self.via.get(kpi.key, []) if g in self.layout.goals
            ),
            gaps=self.gaps(kpi.key),
        )

    def units(self, goals: Sequence[GoalView]) -> list[UnitView]:
        h = self.h
        shown = {g.unit for g in goals if g.unit is not None}
        if self.scope.root is None and self.scope.depth is None and self.scope.unit is None:
            shown |= set(h.units)  # a unit without goals is itself worth seeing
        # A team's department and a person's team belong with them.
        for unit_id in list(shown):
            shown |= self._homes(unit_id)
        if self.scope.unit is not None:
            shown.add(self.scope.unit)
        in_view = {g.id for g in goals}
        views = []
        for unit_id in natural_sorted(shown):
            unit = h.units[unit_id]
            kind = _unit_kind(unit)
            parent = getattr(unit, "team", None) or getattr(unit, "department", None)
            lead = getattr(unit, "lead", None)
            views.append(
                UnitView(
                    id=unit.id,
                    name=unit.label,
                    kind=kind,
                    department=h.department_of(unit.id),
                    parent=parent if kind != "department" else None,
                    lead=lead,
                    lead_name=self.name(lead),
                    role=getattr(unit, "role", None),
                    goals=natural_sorted(g.id for g in unit.goals if g.id in in_view),
                    gaps=self.gaps(unit.id),
                )
            )
        return views

    def _homes(self, unit_id: str) -> set[str]:
        homes: set[str] = set()
        unit = self.h.units.get(unit_id)
        while unit is not None:
            home = getattr(unit, "team", None) or getattr(unit, "department", None)
            if not isinstance(home, str) or home in homes or home not in self.h.units:
                break
            homes.add(home)
            unit = self.h.units[home]
        return homes

    def trail(self) -> list[str]:
        """The --root goal's chain up to the top, following the heaviest links."""
        if self.scope.root is None:
            return []
        chains = self.h.line_of_sight(self.scope.root)
        if not chains:
            return []
        best = min(chains, key=lambda c: (len(c), [natural_key(g) for g in c]))
        return best[1:]

    def perspectives(self, goals: Sequence[GoalView]) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {name: [] for name in (*PERSPECTIVES, "none")}
        for goal in goals:
            groups[goal.perspective or "none"].append(goal.id)
        return groups

    def matrix(self, goals: Sequence[GoalView]) -> MatrixView:
        objectives = natural_sorted(g.id for g in goals if g.level == "objective")
        filtered = self.scope != Scope()
        departments = {d.id for d in self.plan.departments if d.id in self.h.units}
        if filtered:
            departments &= {g.department for g in goals if g.department is not None}
        reach = self.h.matrix(g.id for g in goals)
        rows = []
        for department in natural_sorted(departments):
            mine = reach.get(department, {})
            cells = [CellView(o, natural_sorted(mine.get(o, []))) for o in objectives]
            rows.append(MatrixRowView(department, self.h.units[department].label, cells))
        return MatrixView(objectives, rows)

    def counts(self, goals: Sequence[GoalView]) -> Counts:
        active = [g for g in goals if g.status == "active"]
        return Counts(
            goals=len(goals),
            objectives=sum(1 for g in goals if g.level == "objective"),
            active=len(active),
            on_track=sum(1 for g in active if g.health == "on track"),
            at_risk=sum(1 for g in active if g.health == "at risk"),
            off_track=sum(1 for g in active if g.health == "off track"),
            unknown=sum(1 for g in active if g.health is None),
        )

    def gap_summary(
        self, goals: Sequence[GoalView], units: Sequence[UnitView], kpis: set[str]
    ) -> GapSummary:
        diagnostics: Iterable[Diagnostic] = self.result.diagnostics
        waived = [w.diagnostic for w in self.result.waived]
        if self.scope != Scope():
            about = {g.id for g in goals} | kpis
            about |= {u.id for u in units}
            diagnostics = [d for d in diagnostics if d.subject in about]
            waived = [d for d in waived if d.subject in about]
        diagnostics = list(diagnostics)
        counts: dict[tuple[str, str, str], int] = {}
        for d in diagnostics:
            key = (d.rule, d.name, d.severity.value)
            counts[key] = counts.get(key, 0) + 1
        return GapSummary(
            errors=sum(1 for d in diagnostics if d.severity is Severity.ERROR),
            warnings=sum(1 for d in diagnostics if d.severity is Severity.WARNING),
            info=sum(1 for d in diagnostics if d.severity is Severity.INFO),
            waived=len(waived),
            rules=[RuleCount(*key, count) for key, count in sorted(counts.items())],
        )

    def sections(self, goals: Sequence[GoalView]) -> list[Section]:
        layout = self.layout
        objectives = frozenset(g.id for g in goals if g.level == "objective")
        heads = natural_sorted(objectives - {self.scope.root})
        if self.scope.root is not None:
            heads.insert(0, self.scope.root)
        sections = [
            Section(head, layout.rows([head], stop_at_objectives=objectives - {head}))
            for head in heads
        ]
        if layout.unlinked:
            # An objective can hang below an unlinked goal (a level inversion, or a loop):
            # it has its own section, so it is not drawn here again.
            rows = layout.rows(layout.unlinked, stop_at_objectives=objectives)
            sections.append(Section(None, rows))
        return sections


_NOTHING: list[Any] = []  # shared by every slimmed record: nothing appends to a view's lists


def _slim(goal: GoalView) -> None:
    """Drop what only a goal's details show (its KPIs, findings, links, texts)."""
    goal.description = None
    goal.parents = goal.children = goal.kpis = goal.initiatives = _NOTHING
    goal.assumptions = goal.risks = goal.depends_on = goal.tags = _NOTHING
    goal.waived = goal.gaps = _NOTHING


def _gap(diagnostic: Diagnostic) -> GapView:
    location = diagnostic.location
    return GapView(
        diagnostic.rule,
        diagnostic.name,
        diagnostic.severity.value,
        diagnostic.message,
        diagnostic.hint,
        location.file,
        location.line,
        location.column,
    )


# What a packed HTML page (render/compact.py) carries beside the view.


@dataclass(frozen=True, slots=True)
class Band:
    """A Balanced Scorecard perspective on the packed page: counts and a few goals."""

    key: str
    count: int
    tops: list[str]
    others: list[str]
    more: int


@dataclass(frozen=True, slots=True)
class Packed:
    """What the packed page's template needs beside the view."""

    index: str  # base64 of the zlib-compressed index JSON
    details: list[str]  # base64 of each compressed chunk of goal details
    goals: int
    departments: list[tuple[str, str]]
    states: list[str]
    bands: list[Band]
    unit_gaps: list[tuple[str, str, GapView]]  # unit name, kind, the finding
    unit_gaps_more: int
