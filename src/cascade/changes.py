"""What changed between two versions of a plan, as records: the one comparison `diff` and
`log` share.

Items are matched by id (a KPI without an id of its own by its goal and name). An id on
one side only is added or removed, unless a goal removed and a goal added at the same
level share a title that no other such goal has (or a KPI removed and one added share
their goal and name): then it is one `renamed` record, and the two are compared field by
field. An added or removed goal is one record; its KPIs get none of their own.

Each field belongs to one of five groups, most important first, and that is the records'
order (then item, id and field): the cascade's shape (goals added, removed, renamed, their
status, what they support, their unit and level, their owner); KPI targets and the like,
`eased` when the target moved the easier way; dates (`slipped`); readings; then text,
units, people, periods, the organization and the config.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cascade.diagnostics import Location
from cascade.model import Department, Goal, Item, Kpi, Origin, Period, Person, Plan, Team, Unit

ITEMS = ("objective", "goal", "kpi", "department", "team", "person", "period", "organization")
ITEM_ORDER = {name: rank for rank, name in enumerate((*ITEMS, "config"))}
NOTES = ("eased", "raised", "slipped", "reparented")

# Group of each compared field (see the module's docstring); a record of a whole item
# (added, removed, renamed) takes its item's group.
_GOAL_FIELDS = {
    "status": 1,
    "supports": 1,
    "unit": 1,
    "level": 1,
    "owner": 1,
    "due": 3,
    "start": 3,
    "period": 3,
    "title": 5,
    "description": 5,
    "assumptions": 5,
    "risks": 5,
    "initiatives": 5,
    "tags": 5,
    "perspective": 5,
    "commitment": 5,
    "confidence": 5,
    "depends_on": 5,
    "waive": 5,
}
_KPI_FIELDS = {
    "target": 2,
    "range": 2,
    "baseline": 2,
    "direction": 2,
    "unit": 2,
    "kind": 2,
    "goal": 2,
    "current": 4,
    "name": 5,
    "owner": 5,
    "source": 5,
    "frequency": 5,
}
_UNIT_FIELDS = ("name", "lead", "department", "team", "email", "role")
_PERIOD_FIELDS = ("start", "end", "parent")
_ORGANIZATION_FIELDS = ("name", "vision", "mission", "values", "period")
_ITEM_GROUP = {"objective": 1, "goal": 1, "kpi": 2}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Change:
    """One change record: an item added, removed or renamed, or one field of it changed."""

    kind: str  # added | removed | renamed | changed
    item: str  # objective | goal | kpi | department | team | person | period | ...
    id: str
    level: str | None
    title: str | None
    field: str | None
    before: Any
    after: Any
    note: str | None
    file: str
    line: int
    group: int

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.group, ITEM_ORDER[self.item], self.id, self.field or "")


class Snapshot:
    """One side's items by id, with where each is written."""

    def __init__(
        self,
        plan: Plan,
        locate: Callable[[Origin | None, tuple[Any, ...]], Location],
        config: Mapping[str, Any] | None = None,
        config_where: Callable[[str], Location] | None = None,
        digests: Mapping[str, str] | None = None,
        value: Callable[[Kpi], Any] | None = None,
        readings: Mapping[str, str] | None = None,
    ) -> None:
        self.plan = plan
        self.digests = dict(digests or {})  # file -> digest of its bytes
        # A KPI's value at the as-of date (its readings files' included); without one, its
        # YAML's `current` or `done`.
        self.value = value or value_at
        self.readings = dict(readings or {})  # readings file -> digest of its bytes
        self.config_where = config_where or (lambda key: Location("cascade.yaml", 1, 1))
        self.locate = locate
        self.config = dict(_flatten(config or {}))
        self.goals: dict[str, Goal] = {}
        for goal in plan.goals():
            self.goals.setdefault(goal.id, goal)
        self.kpis: dict[str, Kpi] = {}
        for goal in self.goals.values():
            for n, kpi in enumerate(goal.kpis, start=1):
                self.kpis.setdefault(kpi_key(kpi, goal, n), kpi)
        self.units: dict[tuple[str, str], Unit] = {}
        for unit in plan.units():
            self.units.setdefault((unit_item(unit), unit.id), unit)
        self.periods: dict[str, Period] = {}
        for period in plan.periods:
            self.periods.setdefault(period.id, period)

    def where(self, item: Item | None, field: str | None = None) -> Location:
        origin = item.origin if item is not None else None
        return self.locate(origin, (field,) if field else ())


def kpi_key(kpi: Kpi, goal: Goal, n: int) -> str:
    """A KPI's id; for one without an id of its own (given `<goal>.k<n>` by the loader),
    its goal and name, so that reordering a goal's KPIs changes nothing."""
    if kpi.id == f"{goal.id}.k{n}":
        return f"{goal.id}\0{_normal(kpi.name)}"
    return kpi.key


def unit_item(unit: Unit) -> str:
    if isinstance(unit, Department):
        return "department"
    if isinstance(unit, Team):
        return "team"
    assert isinstance(unit, Person)
    return "person"


@dataclass(frozen=True, slots=True)
class Compared:
    """The records, in their order, and which base goal and KPI is which head one (by
    id, or renamed)."""

    records: list[Change]
    goals: dict[str, str]
    kpis: dict[str, str]  # KPI ids


def compare(base: Snapshot, head: Snapshot) -> Compared:
    """Every change from `base` to `head`."""
    found = _Comparison(base, head)
    found.goals()
    found.kpis()
    found.units()
    found.organization()
    found.config()
    kpis = {found.base_kpis[old].key: head.kpis[new].key for old, new in found.kpi_pairs.items()}
    return Compared(sorted(found.records, key=Change.sort_key), found.goal_pairs, kpis)


class _Comparison:
    def __init__(self, base: Snapshot, head: Snapshot) -> None:
        self.base = base
        self.head = head
        self.records: list[Change] = []
        self.goal_pairs: dict[str, str] = {}  # base id -> head id, matched or renamed
        self.kpi_pairs: dict[str, str] = {}
        self.base_kpis: dict[str, Kpi] = {}
        # Files with the same bytes on both sides: their items are not compared field by
        # field while no goal was added or removed (nothing they link to has moved).
        self.same: set[str] = set()

    def add(
        self,
        kind: str,
        item: str,
        ident: str,
        where: Location,
        *,
        level: str | None = None,
        title: str | None = None,
        field: str | None = None,
        before: Any = None,
        after: Any = None,
        note: str | None = None,
        group: int = 5,
    ) -> None:
        self.records.append(
            Change(
                kind,
                item,
                ident,
                level,
                title,
                field,
                before,
                after,
                note,
                where.file,
                where.line,
                group,
            )
        )

    # Goals and objectives.

    def goals(self) -> None:
        base, head = self.base.goals, self.head.goals
        for ident in base.keys() & head.keys():
            self.goal_pairs[ident] = ident
        removed = [base[i] for i in base if i not in head]
        added = [head[i] for i in head if i not in base]
        renamed = _renames(
            (((goal.level, _normal(goal.title)), goal.id) for goal in removed),
            (((goal.level, _normal(goal.title)), goal.id) for goal in added),
        )
        for old, new in renamed.items():
            self.goal_pairs[old] = new
            goal = head[new]
            self.add(
                "renamed",
                _goal_item(goal),
                new,
                self.head.where(goal),
                level=goal.level,
                title=goal.title,
                before=old,
                after=new,
                group=1,
            )
        if not removed and not added:
            self.same = {
                file for file, digest in self.base.digests.items()
                if self.head.digests.get(file) == digest
            }  # fmt: skip
        renamed_new = set(renamed.values())
        for goal in removed:
            if goal.id not in renamed:
                self._whole("removed", goal, self.base)
        for goal in added:
            if goal.id not in renamed_new:
                self._whole("added", goal, self.head)
        for old, new in self.goal_pairs.items():
            if not self._unchanged(base[old], head[new]):
                self._goal_fields(base[old], head[new])

    def _whole(self, kind: str, goal: Goal, side: Snapshot) -> None:
        self.add(
            kind,
            _goal_item(goal),
            goal.id,
            side.where(goal),
            level=goal.level,
            title=goal.title,
            group=1,
        )

    def _goal_fields(self, old: Goal, new: Goal) -> None:
        for field, group in _GOAL_FIELDS.items():
            after = _goal_value(new, field)
            followed = _goal_value(old, field, self._follow)
            if followed == after:
                continue  # the same, once a renamed goal's links follow it
            before = _goal_value(old, field)
            note = None
            if field == "supports":
                if {s.split(" ")[0] for s in followed} != {s.split(" ")[0] for s in after}:
                    note = "reparented"
            elif field == "due" and before is not None and after is not None and after > before:
                note = "slipped"
            self.add(
                "changed",
                _goal_item(new),
                new.id,
                self.head.where(new, field if field not in ("unit", "level") else None),
                level=new.level,
                title=new.title,
                field=field,
                before=before,
                after=after,
                note=note,
                group=group,
            )

    def _follow(self, ident: str) -> str:
        """A base goal's link as the head would write it: a renamed goal by its new id; a
        link to no goal stays distinct from one to a goal the head has under that id."""
        if ident in self.base.goals:
            return self.goal_pairs.get(ident, f"\0removed:{ident}")
        return f"\0missing:{ident}" if ident in self.head.goals else ident

    # KPIs.

    def kpis(self) -> None:
        # An id-less KPI is keyed by its goal: under a renamed goal, by the new id.
        base = self.base_kpis = {self._remap(key): kpi for key, kpi in self.base.kpis.items()}
        head = self.head.kpis
        # A KPI of a goal added or removed is part of that goal's record.
        kept_goals = set(self.goal_pairs.values())
        old_goals = set(self.goal_pairs)
        for key in base.keys() & head.keys():
            self.kpi_pairs[key] = key
        removed = [k for k in base if k not in head and base[k].goal_id in old_goals]
        added = [k for k in head if k not in base and head[k].goal_id in kept_goals]

        def home(key: str, kpis: dict[str, Kpi], mapped: bool) -> tuple[str, str]:
            kpi = kpis[key]
            goal = self.goal_pairs.get(kpi.goal_id, kpi.goal_id) if mapped else kpi.goal_id
            return goal, _normal(kpi.name)

        renames = _renames(
            ((home(key, base, True), key) for key in removed),
            ((home(key, head, False), key) for key in added),
        )
        for old, new in renames.items():
            self.kpi_pairs[old] = new
            kpi = head[new]
            self.add(
                "renamed",
                "kpi",
                kpi.key,
                self.head.where(kpi),
                title=kpi.name,
                before=base[old].key,
                after=kpi.key,
                group=2,
            )
        for key in removed:
            if key not in renames:
                kpi = base[key]
                where = self.base.where(kpi)
                self.add("removed", "kpi", kpi.key, where, title=kpi.name, group=2)
        renamed_new = set(renames.values())
        for key in added:
            if key not in renamed_new:
                kpi = head[key]
                where = self.head.where(kpi)
                self.add("added", "kpi", kpi.key, where, title=kpi.name, group=2)
        # New rows in a readings file change KPIs whose YAML did not change.
        readings_moved = self.base.readings != self.head.readings
        for old, new in self.kpi_pairs.items():
            if not self._unchanged(base[old], head[new]):
                self._kpi_fields(base[old], head[new], _KPI_FIELDS)
            elif readings_moved:
                self._kpi_fields(base[old], head[new], {"current": _KPI_FIELDS["current"]})

    def _kpi_fields(self, old: Kpi, new: Kpi, fields: Mapping[str, int]) -> None:
        for field, group in fields.items():
            before = self._kpi_value(self.base, old, field)
            after = self._kpi_value(self.head, new, field)
            if field == "goal":
                before = self.goal_pairs.get(before, before)  # a renamed goal is no move
            if before == after:
                continue
            note = None
            if field == "target":
                note = _target_note(before, after, new.effective_direction())
            elif field == "range":
                note = _range_note(before, after)
            self.add(
                "changed",
                "kpi",
                new.key,
                self.head.where(new, "as_of" if field == "current" else field),
                title=new.name,
                field=field,
                before=before,
                after=after,
                note=note,
                group=group,
            )

    @staticmethod
    def _kpi_value(side: Snapshot, kpi: Kpi, field: str) -> Any:
        if field == "goal":
            return kpi.goal_id
        if field == "current":
            return side.value(kpi)
        return _plain(getattr(kpi, field))

    def _unchanged(self, old: Item, new: Item) -> bool:
        """Whether both are written at the same place of a file that did not change."""
        if old.origin is None or new.origin is None or old.origin.file not in self.same:
            return False
        return old.origin == new.origin

    def _remap(self, key: str) -> str:
        goal, separator, name = key.partition("\0")
        return f"{self.goal_pairs.get(goal, goal)}\0{name}" if separator else key

    # Units, people, periods, the organization, the config.

    def units(self) -> None:
        self._keyed(self.base.units, self.head.units, _UNIT_FIELDS)
        periods = {("period", ident): p for ident, p in self.base.periods.items()}
        self._keyed(
            periods, {("period", i): p for i, p in self.head.periods.items()}, _PERIOD_FIELDS
        )

    def _keyed(
        self,
        base: Mapping[tuple[str, str], Item],
        head: Mapping[tuple[str, str], Item],
        fields: tuple[str, ...],
    ) -> None:
        """Departments, teams, people or periods, by (item, id): added, removed, and each
        of `fields` changed."""
        for key in sorted(base.keys() | head.keys()):
            item, ident = key
            old, new = base.get(key), head.get(key)
            if new is not None and old is None:
                self.add("added", item, ident, self.head.where(new), title=_name(new))
            elif old is not None and new is None:
                self.add("removed", item, ident, self.base.where(old), title=_name(old))
            elif old is not None and new is not None and not self._unchanged(old, new):
                for field in fields:
                    before = _plain(getattr(old, field, None))
                    after = _plain(getattr(new, field, None))
                    if before != after:
                        self.add(
                            "changed",
                            item,
                            ident,
                            self.head.where(new, field),
                            title=_name(new),
                            field=field,
                            before=before,
                            after=after,
                        )

    def organization(self) -> None:
        old, new = self.base.plan.organization, self.head.plan.organization
        side = self.head if new is not None else self.base
        either = new if new is not None else old
        for field in _ORGANIZATION_FIELDS:
            before = _plain(getattr(old, field)) if old is not None else None
            after = _plain(getattr(new, field)) if new is not None else None
            if before != after:
                where = side.where(either, field)
                self.add(
                    "changed",
                    "organization",
                    "organization",
                    where,
                    title=either.name if either is not None else None,
                    field=field,
                    before=before,
                    after=after,
                )

    def config(self) -> None:
        base, head = self.base.config, self.head.config
        for key in sorted(base.keys() | head.keys()):
            if key in base and key in head and base[key] == head[key]:
                continue
            kind = (
                "changed" if key in base and key in head else "added" if key in head else "removed"
            )
            side = self.head if key in head else self.base
            where = side.config_where(key)
            self.add(kind, "config", key, where, before=base.get(key), after=head.get(key))


def _renames(
    removed: Iterable[tuple[tuple[str, str], str]], added: Iterable[tuple[tuple[str, str], str]]
) -> dict[str, str]:
    """Old id -> new id of the items removed and added that share a title (and place),
    one on each side: given as ((place, title), id)."""
    olds: dict[tuple[str, str], list[str]] = {}
    for title, ident in removed:
        olds.setdefault(title, []).append(ident)
    news: dict[tuple[str, str], list[str]] = {}
    for title, ident in added:
        news.setdefault(title, []).append(ident)
    return {
        found[0]: news[title][0]
        for title, found in olds.items()
        if len(found) == 1 and len(news.get(title, [])) == 1
    }


def _name(item: Item) -> str | None:
    """A unit's name (a period has none)."""
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else None


def _normal(title: str) -> str:
    """A title compared for renames: lower case, runs of spaces one, the ends trimmed."""
    return _SPACES.sub(" ", title).strip().lower()


def _goal_item(goal: Goal) -> str:
    return "objective" if goal.level == "objective" else "goal"


def _goal_value(goal: Goal, field: str, follow: Callable[[str], str] = str) -> Any:
    """A goal's field as compared and shown; `follow` gives a base goal's links as the
    head names them, so that following a renamed goal is no change."""
    if field == "supports":
        links = sorted((follow(s.goal), s.weight) for s in goal.supports)
        return [
            ident if weight == 1 else f"{ident} (weight {_plain(weight)})"
            for ident, weight in links
        ]
    if field == "depends_on":
        return [follow(ident) for ident in goal.depends_on]
    if field == "unit":
        return goal.unit
    if field == "level":
        return goal.level
    if field == "initiatives":
        return [i.title for i in goal.initiatives]
    if field == "risks":
        return [r.risk if not r.mitigation else f"{r.risk} ({r.mitigation})" for r in goal.risks]
    return _plain(getattr(goal, field))


def value_at(kpi: Kpi) -> Any:
    """A KPI's value as its YAML states it: a metric's `current`, whether a milestone is
    done (for `log`, which follows the YAML through its commits)."""
    if kpi.kind == "milestone":
        return bool(kpi.done)
    return _plain(kpi.current)


def reading_value(kpi: Kpi, value: float | None) -> Any:
    """A KPI's value at a date as compared and shown: a number, or whether a milestone is
    done."""
    if kpi.kind == "milestone":
        return value == 1
    return _plain(value)


def _target_note(before: Any, after: Any, direction: str | None) -> str | None:
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return None
    if direction == "increase":
        return "eased" if after < before else "raised"
    if direction == "decrease":
        return "eased" if after > before else "raised"
    return None


def _range_note(before: Any, after: Any) -> str | None:
    if not isinstance(before, list) or not isinstance(after, list):
        return None
    if _contains(after, before):
        return "eased"
    if _contains(before, after):
        return "raised"
    return None


def _contains(outer: list[Any], inner: list[Any]) -> bool:
    low = outer[0] is None or (inner[0] is not None and outer[0] <= inner[0])
    high = outer[1] is None or (inner[1] is not None and outer[1] >= inner[1])
    return low and high


def _plain(value: Any) -> Any:
    """A value as JSON has it: dates as `YYYY-MM-DD`, tuples as lists, mappings sorted."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _flatten(settings: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """A config's settings as dotted keys (`thresholds.stale_after_days`) and values."""
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from _flatten(value, f"{name}.")
        else:
            yield name, _plain(value)
