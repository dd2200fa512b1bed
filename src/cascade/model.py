"""The plan format as pydantic models (one plan file, and the merged plan of all files).

No I/O, no YAML: the loader feeds plain data in and turns validation errors into diagnostics.
"""

from __future__ import annotations

import datetime
import math
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeAlias, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_ID_RE = re.compile(ID_PATTERN)

Level = Literal["objective", "department", "team", "individual"]
LEVELS: tuple[Level, ...] = ("objective", "department", "team", "individual")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}

Status = Literal["draft", "active", "achieved", "missed", "dropped"]
Perspective = Literal["financial", "customer", "internal", "learning"]
Direction = Literal["increase", "decrease", "maintain"]
Frequency = Literal["weekly", "monthly", "quarterly", "yearly"]


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            f"{value!r} breaks the id pattern: start with a letter or digit, "
            "then use only letters, digits, '_', '.' and '-'"
        )
    return value


def _number(value: Any) -> float:
    # Strict on purpose: YAML `yes` or "50%" is a mistake, not a number.
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return value  # type: ignore[no-any-return]  # nearly every value, decided at once
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number, not NaN or infinity")
    return value


def _date(value: Any) -> datetime.date:
    if type(value) is datetime.date:
        return value  # the usual case, first
    if isinstance(value, datetime.datetime):
        raise ValueError("expected a date YYYY-MM-DD without a time")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date") from None
    raise ValueError("expected a date YYYY-MM-DD")


def _none_to_list(value: Any) -> Any:
    # `goals:` with nothing under it is an empty list to a person, not an error.
    return [] if value is None else value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Id = Annotated[str, AfterValidator(_check_id), Field(examples=["SALES-1"])]
Ref = Annotated[str, Field(description="The id of another item of the plan.")]
Number = Annotated[float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
Date = Annotated[
    datetime.date,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-31"]}),
]
Text = Annotated[str, AfterValidator(_non_blank)]
T = TypeVar("T")
# A list that also accepts YAML null (an empty key) as the empty list.
List: TypeAlias = Annotated[list[T], BeforeValidator(_none_to_list)]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item was written: the file's display path and the key path inside it."""

    file: str
    path: tuple[str | int, ...]


class _Placed:
    """What the loader records about an item beyond its fields: where it was written, and
    (for goals and KPIs) where it sits in the cascade.

    Plain class defaults, overridden per instance, rather than pydantic private attributes:
    those cost a dictionary and a post-init call for every validated item, a third of the
    time it takes to validate a large plan.
    """

    _origin: Origin | None = None
    _goal: str = ""  # a KPI's goal id
    _level: Level = "objective"  # a goal's level
    _unit: str | None = None  # the unit a goal is written under

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic's own __setattr__ looks up every underscore name slowly; these are ours.
        if name in _PLACED:
            object.__setattr__(self, name, value)
            return
        fields = getattr(self, "__pydantic_fields_set__", None)
        if type(fields) is _SharedFields:  # copy on write: pydantic adds the field's name
            object.__setattr__(self, "__pydantic_fields_set__", set(fields))
        super().__setattr__(name, value)


_PLACED = frozenset({"_origin", "_goal", "_level", "_unit"})


class _SharedFields(set[str]):
    """A record of the fields an item was given, shared by every item given the same ones.

    pydantic keeps one set per item: in a big plan most items' sets are alike, and all
    of them together took more memory than the positions of every value in the files.
    """


_RECORDS: dict[frozenset[str], _SharedFields] = {}


def _shared(fields: set[str]) -> _SharedFields:
    key = frozenset(fields)
    record = _RECORDS.get(key)
    if record is None:
        if len(_RECORDS) >= 10_000:
            _RECORDS.clear()
        record = _RECORDS[key] = _SharedFields(fields)
    return record


def share_field_sets(items: Iterable[Any]) -> None:
    """Let items (and the items inside them) with the same set fields share one record of
    them, copied on write."""
    stack = [item for item in items if item is not None]
    while stack:
        item = stack.pop()
        object.__setattr__(item, "__pydantic_fields_set__", _shared(item.__pydantic_fields_set__))
        values = item.__dict__
        for name in _nested(type(item)):
            value = values[name]
            if type(value) is list:
                stack.extend(value)
            elif value is not None:
                stack.append(value)


_NESTED: dict[type[Any], tuple[str, ...]] = {}


def _nested(model: type[Any]) -> tuple[str, ...]:
    """The fields of a model that hold items (or lists of them)."""
    found = _NESTED.get(model)
    if found is None:
        found = _NESTED[model] = tuple(
            name for name, info in model.model_fields.items() if _holds_items(info.annotation)
        )
    return found


def _holds_items(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, Item)
    return any(_holds_items(arg) for arg in typing.get_args(annotation))


class Item(_Placed, BaseModel):
    """Base of every model: unknown fields are errors; numbers may stand in for strings."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        coerce_numbers_to_str=True,
        validate_default=False,
    )

    @property
    def origin(self) -> Origin | None:
        # A plain attribute (see `_Placed`): rules ask for origins, levels and units millions
        # of times, and pydantic's private attributes cost microseconds each.
        return self._origin


class CheckIn(Item):
    """One measurement of a KPI."""

    date: Date
    value: Number


class Kpi(Item):
    """How a goal is measured: a metric with baseline and target, or a milestone."""

    id: Id | None = None
    name: Text
    kind: Literal["metric", "milestone"] = "metric"
    unit: str | None = None
    baseline: Number | None = None
    target: Number | None = None
    current: Number | None = None
    direction: Direction | None = None
    range: tuple[Number | None, Number | None] | None = None
    done: bool | None = None
    as_of: Date | None = None
    owner: Ref | None = None
    source: str | None = None
    frequency: Frequency | None = None
    history: List[CheckIn] = Field(default_factory=list)

    @property
    def goal_id(self) -> str:
        """The id of the goal this KPI measures."""
        return self._goal

    @property
    def key(self) -> str:
        """The KPI's id, or `<goal id>.k<n>` when it has none (set by the loader)."""
        return self.id or ""

    def effective_direction(self) -> Direction | None:
        """The stated direction, else what baseline and target imply."""
        if self.direction is not None:
            return self.direction
        if self.range is not None:
            return "maintain"
        if self.baseline is not None and self.target is not None:
            if self.target > self.baseline:
                return "increase"
            if self.target < self.baseline:
                return "decrease"
        return None


def _support_list(value: Any) -> Any:
    value = _none_to_list(value)
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [{"goal": value}]
    if isinstance(value, list):
        return [
            {"goal": v} if isinstance(v, str | int) and not isinstance(v, bool) else v
            for v in value
        ]
    return value


class Support(Item):
    """One `supports` link: the goal (or KPI) supported, and how much it weighs."""

    goal: Ref
    weight: Annotated[float, Field(gt=0)] = 1.0


class Initiative(Item):
    """Work planned to move a goal."""

    title: Text
    owner: Ref | None = None
    due: Date | None = None
    impact: str | None = None


def _risk(value: Any) -> Any:
    return {"risk": value} if isinstance(value, str) else value


class Risk(Item):
    """What could stop a goal, and the answer to it."""

    risk: Text
    mitigation: str | None = None


class Goal(Item):
    """An objective or a department, team or personal goal; its level is where it is written."""

    id: Id
    title: Text
    description: str | None = None
    owner: Ref | None = None
    supports: Annotated[list[Support], BeforeValidator(_support_list)] = Field(
        default_factory=list,
        description="An id, or a list of ids or {goal, weight}.",
        json_schema_extra={"examples": ["OBJ-1", ["OBJ-1", {"goal": "OBJ-2", "weight": 2}]]},
    )
    period: Ref | None = None
    start: Date | None = None
    due: Date | None = None
    status: Status = "active"
    perspective: Perspective | None = None
    confidence: Annotated[float, Field(ge=0, le=1, strict=False)] | None = None
    commitment: Literal["committed", "aspirational"] = "committed"
    kpis: List[Kpi] = Field(default_factory=list)
    initiatives: List[Initiative] = Field(default_factory=list)
    assumptions: List[str] = Field(default_factory=list)
    risks: List[Annotated[Risk, BeforeValidator(_risk)]] = Field(default_factory=list)
    depends_on: List[Ref] = Field(default_factory=list)
    tags: List[str] = Field(default_factory=list)
    waive: dict[str, Text] | None = None

    @property
    def level(self) -> Level:
        return self._level

    @property
    def unit(self) -> str | None:
        """The id of the department, team or person the goal is written under."""
        return self._unit

    @property
    def takes_part(self) -> bool:
        """Draft and dropped goals are shown but take no part in gap rules or progress."""
        return self.status not in ("draft", "dropped")


class Unit(Item):
    """What departments, teams and people share."""

    id: Id
    name: str | None = None
    goals: List[Goal] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or self.id


class Department(Unit):
    lead: Ref | None = None


class Team(Unit):
    department: Ref
    lead: Ref | None = None


class Person(Unit):
    email: str | None = None
    role: str | None = None
    team: Ref | None = None
    department: Ref | None = None

    @model_validator(mode="after")
    def _one_home(self) -> Person:
        if self.team is not None and self.department is not None:
            raise ValueError("a person belongs to a team or a department, not both")
        return self


class Period(Item):
    id: Id
    start: Date
    end: Date
    parent: Ref | None = None


class Organization(Item):
    name: Text
    vision: str | None = None
    mission: str | None = None
    values: List[str] = Field(default_factory=list)
    period: Ref | None = None


class PlanFile(Item):
    """One YAML file of a plan; every section is optional and merged with the others."""

    schema_: str | None = Field(default=None, alias="$schema")
    version: Literal[1] | None = None
    organization: Organization | None = None
    periods: List[Period] = Field(default_factory=list)
    objectives: List[Goal] = Field(default_factory=list)
    departments: List[Department] = Field(default_factory=list)
    teams: List[Team] = Field(default_factory=list)
    people: List[Person] = Field(default_factory=list)


SECTIONS: tuple[str, ...] = ("periods", "objectives", "departments", "teams", "people")
UNIT_LEVEL: dict[str, Level] = {
    "objectives": "objective",
    "departments": "department",
    "teams": "team",
    "people": "individual",
}


@dataclass
class Plan:
    """The merged plan of all files, in file order, with goals and KPIs indexed."""

    organization: Organization | None = None
    periods: list[Period] = field(default_factory=list)
    objectives: list[Goal] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    # Ids that were defined by items that failed the schema: references to them are not
    # "unknown", the schema error already says what is wrong.
    broken_ids: set[str] = field(default_factory=set)

    def units(self) -> list[Unit]:
        return [*self.departments, *self.teams, *self.people]

    def goals(self) -> list[Goal]:
        """Every goal, objectives first, then by unit in file order."""
        goals = list(self.objectives)
        for unit in self.units():
            goals.extend(unit.goals)
        return goals

    def kpis(self) -> list[Kpi]:
        return [kpi for goal in self.goals() for kpi in goal.kpis]


def place(plan: Plan) -> Plan:
    """Give every goal its level and unit, and every KPI its goal and default id."""
    for goal in plan.objectives:
        goal._level, goal._unit = "objective", None
    for section, units in (
        ("departments", plan.departments),
        ("teams", plan.teams),
        ("people", plan.people),
    ):
        for unit in units:
            for goal in unit.goals:
                goal._level, goal._unit = UNIT_LEVEL[section], unit.id
    for goal in plan.goals():
        for n, kpi in enumerate(goal.kpis, start=1):
            kpi._goal = goal.id
            if kpi.id is None:
                _set_field(kpi, "id", f"{goal.id}.k{n}")
    return plan


def _set_field(item: Item, name: str, value: Any) -> None:
    """`item.name = value` as pydantic does it (no validation on assignment), keeping the
    record of set fields shared rather than copying it."""
    item.__dict__[name] = value
    object.__setattr__(
        item, "__pydantic_fields_set__", _shared({*item.__pydantic_fields_set__, name})
    )
