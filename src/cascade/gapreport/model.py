"""The gaps report as plain data: health numbers, gaps by kind and by unit, the alignment
matrix, overloaded owners and the meeting's questions. Renderers only format it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from cascade.diagnostics import Diagnostic, Location, Severity
from cascade.graph import Hierarchy
from cascade.model import Department, Goal, Kpi, Person, Team, Unit
from cascade.progress import ProgressModel
from cascade.result import Result
from cascade.rules import REGISTRY, Context, GapFacts, Rule, all_rules
from cascade.rules.common import goal_label, kpi_label, percent, unit_kind, unit_label

# A meeting cannot take a thousand questions of one kind: past this many, one question
# stands for the rest.
QUESTIONS_PER_KIND = 10
CORPORATE = "Corporate"  # the group of objectives and of gaps outside any department


@dataclass(frozen=True, slots=True)
class Ratio:
    """`count` of `total`; `share` is None when there is nothing to count."""

    count: int
    total: int

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    def __str__(self) -> str:
        share = self.share
        return f"{self.count} of {self.total}" + (
            f" ({percent(share)})" if share is not None else ""
        )


@dataclass(frozen=True, slots=True)
class Health:
    """The cascade in numbers, over the active goals in scope."""

    objectives: Ratio  # cascaded (whole plan), or reached by the goals in scope
    objectives_label: str
    line_of_sight: Ratio  # active goals below the objectives that reach an objective
    goals_with_kpis: Ratio
    kpis_with_target: Ratio  # metric KPIs with a target (or a range, for `maintain`)
    kpis_fresh: Ratio  # KPIs updated within `stale_after_days` (done milestones count)
    stale_after_days: int
    on_track: int
    at_risk: int
    off_track: int
    unknown: int  # active goals whose progress or time is unknown


@dataclass(frozen=True, slots=True)
class Gap:
    """One finding, with what a reader needs: what it is about, who owns it, where it is."""

    rule: str
    name: str
    severity: Severity
    message: str
    hint: str | None
    location: Location
    subject: str | None
    kind: str | None  # objective | goal | kpi | department | team | person
    title: str | None  # the goal's title, the KPI's name or the unit's name
    goal: str | None  # the goal the gap is about (a KPI's goal)
    goal_title: str | None
    owner: str | None  # person id
    owner_name: str | None
    unit: str | None  # the unit the goal is written under (or the unit itself)
    unit_name: str | None
    home_name: str | None  # for a person: the team or department they belong to
    department: str | None
    detail: str  # the message without its opening "goal X "title"" (shown next to it)
    reason: str | None = None  # why it was waived


@dataclass(frozen=True, slots=True)
class KindGroup:
    rule: str
    name: str
    severity: Severity
    summary: str
    gaps: list[Gap]


@dataclass(frozen=True, slots=True)
class UnitGroup:
    """The gaps of one department (its teams and people included), or of the corporate level."""

    unit: str | None  # department id; None for the corporate level
    name: str
    gaps: list[Gap]

    def count(self, severity: Severity) -> int:
        return sum(1 for gap in self.gaps if gap.severity is severity)


@dataclass(frozen=True, slots=True)
class Matrix:
    """Objectives (rows) x departments (columns): how many goals of the department reach
    the objective. Empty rows and columns are what the meeting must look at."""

    objectives: list[tuple[str, str]]  # (id, title)
    departments: list[tuple[str, str]]  # (id, name)
    cells: list[list[int]]

    @property
    def empty_objectives(self) -> list[str]:
        return [
            oid for (oid, _), row in zip(self.objectives, self.cells, strict=True) if not any(row)
        ]

    @property
    def empty_departments(self) -> list[str]:
        return [
            did
            for j, (did, _) in enumerate(self.departments)
            if not any(row[j] for row in self.cells)
        ]


@dataclass(frozen=True, slots=True)
class Overload:
    """A person or unit holding more active goals than the limit."""

    id: str
    name: str
    kind: str  # person | department | team
    goals: list[str]
    limit: int


@dataclass(frozen=True, slots=True)
class DueKpi:
    """A KPI whose next reading is due within a week of the date, or late."""

    id: str
    name: str
    goal: str
    frequency: str
    last: datetime.date | None  # its latest reading on or before the date
    due: datetime.date
    days_late: int  # 0 when not yet late


@dataclass(frozen=True, slots=True)
class OwnerDue:
    """One owner's KPIs to read: the weekly check-in list."""

    owner: str | None
    owner_name: str | None
    kpis: list[DueKpi]


@dataclass(frozen=True, slots=True)
class Question:
    rule: str
    subject: str | None
    text: str


@dataclass
class GapReport:
    """Everything the three renderers show, computed once."""

    organization: str | None
    vision: str | None
    as_of: datetime.date
    files: int
    scope_unit: str | None
    scope_owner: str | None
    scope_label: str | None  # "Sales (department)" / "Bob Okafor" when filtered
    plan_errors: int  # errors of the plan itself (CAS001-CAS009), listed on stderr
    health: Health
    kinds: list[KindGroup]
    units: list[UnitGroup]
    matrix: Matrix
    overloaded: list[Overload]
    questions: list[Question]
    waived: list[Gap]
    show_waived: bool
    limit: int  # max_goals_per_owner
    counts: dict[Severity, int] = field(default_factory=dict)
    readings_due: list[OwnerDue] = field(default_factory=list)
    readings_files: list[str] = field(default_factory=list)

    @property
    def gaps(self) -> list[Gap]:
        return [gap for group in self.kinds for gap in group.gaps]


def build(
    result: Result,
    context: Context,
    files: int,
    *,
    unit: str | None = None,
    owner: str | None = None,
    show_waived: bool = False,
) -> GapReport:
    """The report of one run of the rules over `context`'s plan, optionally narrowed to a
    unit or an owner."""
    builder = _Builder(context, unit, owner)
    rules = {r.code: r for r in all_rules()}
    gaps = [builder.gap(d) for d in result.diagnostics if _is_gap(d, rules)]
    gaps = [gap for gap in gaps if builder.in_scope(gap)]
    waived = [builder.gap(w.diagnostic, w.reason) for w in result.waived]
    waived = [gap for gap in waived if builder.in_scope(gap)]
    plan_errors = sum(
        1 for d in result.diagnostics if d.severity is Severity.ERROR and not _is_gap(d, rules)
    )
    counts = dict.fromkeys(Severity, 0)
    for gap in gaps:
        counts[gap.severity] += 1
    organization = context.plan.organization
    return GapReport(
        organization=organization.name if organization else None,
        vision=organization.vision if organization else None,
        as_of=context.as_of,
        files=files,
        scope_unit=unit,
        scope_owner=owner,
        scope_label=builder.scope_label(),
        plan_errors=plan_errors,
        health=builder.health(),
        kinds=_by_kind(gaps, rules),
        units=builder.by_unit(gaps),
        matrix=builder.matrix(),
        overloaded=builder.overloaded(gaps),
        questions=builder.questions(gaps),
        waived=waived,
        show_waived=show_waived,
        limit=context.config.thresholds.max_goals_per_owner,
        counts=counts,
        readings_due=builder.readings_due(),
        readings_files=context.readings.names,
    )


def _is_gap(diagnostic: Diagnostic, rules: dict[str, Rule]) -> bool:
    known = rules.get(diagnostic.rule)
    return known is not None and known.gap


def _seriousness(code: str) -> int:
    """A gap rule's rank in the report, as the rule declares it."""
    found = REGISTRY.get(code)
    return found.rank if found is not None else 0


def _gap_order(gap: Gap) -> tuple[int, int, str, str, int, int]:
    # The location as a plain tuple: comparing Location records costs a call each time.
    where = gap.location
    return (
        -gap.severity.rank,
        _seriousness(gap.rule),
        gap.rule,
        where.file,
        where.line,
        where.column,
    )


def _by_kind(gaps: list[Gap], rules: dict[str, Rule]) -> list[KindGroup]:
    """One group per rule, most serious first: severity, then the rules' ranks, then code."""
    grouped: dict[str, list[Gap]] = {}
    for gap in gaps:
        grouped.setdefault(gap.rule, []).append(gap)
    groups = [
        KindGroup(code, members[0].name, members[0].severity, rules[code].summary, members)
        for code, members in grouped.items()
    ]
    groups.sort(key=lambda g: (-g.severity.rank, _seriousness(g.rule), g.rule))
    return groups


def health_of(context: Context) -> Health:
    """The health measures of the whole plan, as the gaps report has them."""
    return _Builder(context, None, None).health()


def matrix_of(context: Context) -> Matrix:
    """The objectives x departments matrix of the whole plan, as the gaps report has it."""
    return _Builder(context, None, None).matrix()


class _Builder:
    """Looks up what findings are about and computes the numbers, within the scope."""

    def __init__(self, context: Context, unit: str | None, owner: str | None) -> None:
        self.context = context
        self.hierarchy: Hierarchy = context.hierarchy
        self.progress: ProgressModel = context.progress
        self.unit = unit
        self.owner = owner
        self.units_in_scope = self.hierarchy.units_within(unit) if unit is not None else None

    # ------------------------------------------------------------------ scope

    def scope_label(self) -> str | None:
        if self.unit is not None:
            found = self.hierarchy.units[self.unit]
            return f"{found.label} ({unit_kind(found)})"
        if self.owner is not None:
            return self._person_name(self.owner) or self.owner
        return None

    def goal_in_scope(self, goal: Goal) -> bool:
        if self.units_in_scope is not None:
            return goal.unit in self.units_in_scope
        if self.owner is not None:
            return self.hierarchy.owner_of(goal) == self.owner or (
                goal.level == "individual" and goal.unit == self.owner
            )
        return True

    def in_scope(self, gap: Gap) -> bool:
        if self.units_in_scope is not None:
            return gap.unit in self.units_in_scope
        if self.owner is not None:
            return gap.owner == self.owner
        return True

    # ------------------------------------------------------------------ gaps

    def gap(self, diagnostic: Diagnostic, reason: str | None = None) -> Gap:
        hierarchy = self.hierarchy
        subject = diagnostic.subject
        kind: str | None = None
        title = goal_id = goal_title = owner = unit_id = None
        goal: Goal | None = hierarchy.goals.get(subject or "")
        kpi: Kpi | None = None if goal is not None else hierarchy.kpis.get(subject or "")
        unit: Unit | None = None
        if goal is not None:
            kind = "objective" if goal.level == "objective" else "goal"
            title = goal.title
        elif kpi is not None:
            kind = "kpi"
            title = kpi.name
            goal = hierarchy.goals.get(kpi.goal_id)
        else:
            unit = hierarchy.units.get(subject or "")
        if goal is not None:
            goal_id, goal_title = goal.id, goal.title
            owner = hierarchy.owner_of(goal)
            unit_id = goal.unit
            if kpi is not None and kpi.owner:
                owner = kpi.owner
        elif unit is not None:
            kind = unit_kind(unit)
            title = unit.label
            unit_id = unit.id
            if isinstance(unit, Person):
                owner = unit.id
            elif isinstance(unit, Department | Team):
                owner = unit.lead
        unit_name = hierarchy.units[unit_id].label if unit_id in hierarchy.units else None
        home = hierarchy.units.get(hierarchy.home_of(unit_id) or "") if unit_id else None
        home_name = (
            home.label if isinstance(hierarchy.units.get(unit_id or ""), Person) and home else None
        )
        prefix = ""
        if kpi is not None:
            prefix = kpi_label(kpi) + (f" of goal {goal.id}" if goal is not None else "")
        elif goal is not None:
            prefix = goal_label(goal)
        elif unit is not None:
            prefix = unit_label(unit)
        detail = diagnostic.message
        if prefix and detail.startswith(prefix):
            detail = detail[len(prefix) :].lstrip(" :") or detail
        return Gap(
            rule=diagnostic.rule,
            name=diagnostic.name,
            severity=diagnostic.severity,
            message=diagnostic.message,
            hint=diagnostic.hint,
            location=diagnostic.location,
            subject=subject,
            kind=kind,
            title=title,
            goal=goal_id,
            goal_title=goal_title,
            owner=owner,
            owner_name=self._person_name(owner),
            unit=unit_id,
            unit_name=unit_name,
            home_name=home_name,
            department=hierarchy.department_of(unit_id),
            detail=detail,
            reason=reason,
        )

    def _person_name(self, person: str | None) -> str | None:
        found = self.hierarchy.units.get(person or "")
        return found.name if isinstance(found, Person) and found.name else None

    def by_unit(self, gaps: list[Gap]) -> list[UnitGroup]:
        """Corporate first, then departments in plan order, then units of no department;
        inside each, the most serious gaps first."""
        grouped: dict[str | None, list[Gap]] = {}
        for gap in sorted(gaps, key=_gap_order):
            key = gap.department if gap.department is not None else gap.unit
            grouped.setdefault(key, []).append(gap)
        groups: list[UnitGroup] = []
        if None in grouped:
            groups.append(UnitGroup(None, CORPORATE, grouped.pop(None)))
        for unit_id, found in self.hierarchy.units.items():
            if isinstance(found, Department) and unit_id in grouped:
                groups.append(UnitGroup(unit_id, found.label, grouped.pop(unit_id)))
        for unit_id in sorted(k for k in grouped if k is not None):
            found_unit = self.hierarchy.units.get(unit_id)
            name = found_unit.label if found_unit is not None else unit_id
            groups.append(UnitGroup(unit_id, name, grouped[unit_id]))
        return groups

    # ------------------------------------------------------------------ numbers

    def _scoped(self, goals: Iterable[Goal]) -> list[Goal]:
        return [goal for goal in goals if self.goal_in_scope(goal)]

    def health(self) -> Health:
        hierarchy, progress = self.hierarchy, self.progress
        thresholds = self.context.config.thresholds
        live = hierarchy.live
        active = self._scoped(g for g in hierarchy.goals.values() if g.status == "active")
        objectives = [
            g for g in hierarchy.goals.values() if g.level == "objective" and g.takes_part
        ]
        if self.unit is None and self.owner is None:
            cascaded = sum(1 for o in objectives if hierarchy.is_supported(o.id))
            label = "Objectives cascaded"
        else:
            reached: set[str] = set()
            for goal in self._scoped(g for g in hierarchy.goals.values() if g.id in live):
                reached |= hierarchy.alignment.reached[goal.id]
            cascaded = sum(1 for o in objectives if o.id in reached)
            label = "Objectives its goals reach"
        below = [g for g in active if g.level != "objective"]
        sighted = sum(1 for g in below if hierarchy.alignment.reached[g.id])
        with_kpis = sum(1 for g in active if g.kpis)
        metrics = [k for g in active for k in g.kpis if k.kind == "metric"]
        targeted = sum(
            1
            for k in metrics
            if k.target is not None or (k.effective_direction() == "maintain" and k.range)
        )
        states = [progress.freshness(k, g) for g in active for k in g.kpis]
        # Judged as stale-kpi judges them: a KPI whose time has not begun, or whose reading
        # carries no date, is neither fresh nor stale (no finding would name it).
        states = [s for s in states if s not in ("not begun", "undated")]
        fresh = sum(1 for s in states if s in ("fresh", "done"))
        statuses = [progress.status(g) for g in active]
        return Health(
            objectives=Ratio(cascaded, len(objectives)),
            objectives_label=label,
            line_of_sight=Ratio(sighted, len(below)),
            goals_with_kpis=Ratio(with_kpis, len(active)),
            kpis_with_target=Ratio(targeted, len(metrics)),
            kpis_fresh=Ratio(fresh, len(states)),
            stale_after_days=thresholds.stale_after_days,
            on_track=statuses.count("on track"),
            at_risk=statuses.count("at risk"),
            off_track=statuses.count("off track"),
            unknown=statuses.count(None),
        )

    def matrix(self) -> Matrix:
        """Live objectives x departments; with a scope, only the departments it touches."""
        hierarchy = self.hierarchy
        objectives = [
            (g.id, g.title)
            for g in hierarchy.goals.values()
            if g.level == "objective" and g.takes_part
        ]
        row = {oid: i for i, (oid, _) in enumerate(objectives)}
        departments = [
            (u.id, u.label) for u in hierarchy.units.values() if isinstance(u, Department)
        ]
        column = {did: j for j, (did, _) in enumerate(departments)}
        cells = [[0] * len(departments) for _ in objectives]
        scoped = (g.id for g in hierarchy.goals.values() if self.goal_in_scope(g))
        reach = hierarchy.matrix(scoped)
        touched = {department for department in reach if department in column}
        for department in touched:
            for objective, goals in reach[department].items():
                if objective in row:
                    cells[row[objective]][column[department]] = len(goals)
        if self.units_in_scope is not None:
            touched = {d for d in column if d in self.units_in_scope} or {
                hierarchy.department_of(self.unit) or ""
            }
        if self.unit is None and self.owner is None:
            return Matrix(objectives, departments, cells)
        keep = [j for j, (did, _) in enumerate(departments) if did in touched]
        return Matrix(
            objectives,
            [departments[j] for j in keep],
            [[r[j] for j in keep] for r in cells],
        )

    def overloaded(self, gaps: list[Gap]) -> list[Overload]:
        """The holders `too-many-goals` reported (so config and selection apply), people first."""
        flagged = {gap.subject for gap in gaps if gap.rule == "CAS110" and gap.subject}
        if not flagged:
            return []
        limit = self.context.config.thresholds.max_goals_per_owner
        found: list[Overload] = []
        for holdings in (self.hierarchy.person_holdings, self.hierarchy.unit_holdings):
            for holder, goals in sorted(holdings.items(), key=lambda h: (-len(h[1]), h[0])):
                if holder in flagged:
                    unit = self.hierarchy.units[holder]
                    found.append(Overload(holder, unit.label, unit_kind(unit), goals, limit))
                    flagged.discard(holder)
        return found

    # ------------------------------------------------------------------ questions

    def readings_due(self) -> list[OwnerDue]:
        """Per owner, the KPIs (with a frequency, of active goals in scope) whose next
        reading is due on or before a week after the date: owners by id, KPIs by due date
        then id."""
        hierarchy, progress, today = self.hierarchy, self.progress, self.context.as_of
        horizon = today + datetime.timedelta(days=7)
        found: dict[str | None, list[DueKpi]] = {}
        for goal in hierarchy.goals.values():
            if goal.status != "active" or not self.goal_in_scope(goal):
                continue
            for kpi in goal.kpis:
                owner = kpi.owner or hierarchy.owner_of(goal)
                if self.owner is not None and owner != self.owner:
                    continue
                due = progress.next_due(kpi, goal)
                if due is None or due > horizon or kpi.frequency is None:
                    continue
                if progress.freshness(kpi, goal) == "done":
                    continue  # a done milestone needs no more readings
                late = max(0, (today - due).days)
                last = progress.measured_on(kpi)
                item = DueKpi(kpi.key, kpi.name, goal.id, kpi.frequency, last, due, late)
                found.setdefault(owner, []).append(item)
        return [
            OwnerDue(owner, self._person_name(owner), sorted(kpis, key=lambda k: (k.due, k.id)))
            for owner, kpis in sorted(
                found.items(), key=lambda item: (item[0] is None, item[0] or "")
            )
        ]

    def questions(self, gaps: list[Gap]) -> list[Question]:
        """What the meeting must answer, most serious first; one per root cause."""
        ordered = sorted(gaps, key=_gap_order)
        asker = _Asker(self, ordered)
        questions: list[Question] = []
        asked: dict[str, int] = {}
        more: dict[str, tuple[str, int]] = {}
        for gap in ordered:
            registered = REGISTRY.get(gap.rule)
            if gap.severity is Severity.INFO and not (registered and registered.ask_info):
                continue
            if asked.get(gap.rule, 0) >= QUESTIONS_PER_KIND:
                name, count = more.get(gap.rule, (gap.name, 0))
                more[gap.rule] = (name, count + 1)
                continue
            text = asker.ask(gap)
            if text is not None:
                questions.append(Question(gap.rule, gap.subject, text))
                asked[gap.rule] = asked.get(gap.rule, 0) + 1
        for rule, (name, count) in more.items():
            # After the last question of its kind, keeping the most-serious-first order.
            at = max(i for i, q in enumerate(questions) if q.rule == rule) + 1
            text = f"{count} more {name} gaps like these: who takes them on, and by when?"
            questions.insert(at, Question(rule, None, text))
        return questions


def _due_order(kpi: DueKpi) -> tuple[datetime.date, str]:
    return kpi.due, kpi.id


class _Asker:
    """What the meeting questions of the rules may look at (`rules.Asking`)."""

    def __init__(self, builder: _Builder, gaps: list[Gap]) -> None:
        self.hierarchy = builder.hierarchy
        self.progress = builder.progress
        self.config = builder.context.config
        self._gaps = gaps
        self._by_rule: dict[str, list[GapFacts]] | None = None
        self._asked: set[str] = set()
        self.departments = [
            u.label for u in self.hierarchy.units.values() if isinstance(u, Department)
        ]

    def ask(self, gap: Gap) -> str | None:
        subject = gap.subject or ""
        label = f'{subject} "{gap.title}"' if gap.title else subject
        registered = REGISTRY.get(gap.rule)
        if registered is None or registered.question is None:
            return f"How do we close this gap: {gap.message}?"
        return registered.question(self, gap, label)

    def numbers(self, goal_id: str | None) -> str:
        if goal_id is None:
            return ""
        goal = self.hierarchy.goals[goal_id]
        done, expected = self.progress.progress(goal.id), self.progress.expected(goal)
        if done is None or expected is None:
            return ""
        return f" ({percent(done)} done, {percent(expected)} expected)"

    def first(self, key: str) -> bool:
        if key in self._asked:
            return False
        self._asked.add(key)
        return True

    def gaps_of(self, rule: str) -> list[GapFacts]:
        if self._by_rule is None:
            self._by_rule = {}
            for gap in self._gaps:
                self._by_rule.setdefault(gap.rule, []).append(gap)
        return self._by_rule.get(rule, [])
