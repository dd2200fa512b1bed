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
    GetJsonSchemaHandler,
    PlainValidator,
    StrictBool,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

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
    if not _ID_RE.fullmatch(value):  # `$` alone would let a final newline through
        raise ValueError(
            f"{value!r} breaks the id pattern: start with a letter (A-Z, a-z) or digit, "
            "then use only those, '_', '.' and '-'"
        )
    return value


_HUGE = 10**300  # beyond this an integer cannot be a float: arithmetic on it overflows


def _number(value: Any) -> float:
    # Strict on purpose: YAML `yes` or "50%" is a mistake, not a number.
    kind = type(value)
    if (kind is int and -_HUGE < value < _HUGE) or (kind is float and math.isfinite(value)):
        return value  # type: ignore[no-any-return]  # nearly every value, decided at once
    if kind is int:
        raise ValueError("expected a number no larger than 1e300")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number, not NaN or infinity")
    return value


def _reading_value(value: Any) -> float:
    # A milestone's check-in may say `true` or `false` (1 or 0); a metric's must be a
    # number, which the KPI checks once it knows its kind.
    if isinstance(value, bool):
        return value
    return _number(value)


def _weight(value: Any) -> float:
    number = _number(value)  # strict: a quoted '2' or `true` is a mistake here too
    if number <= 0:
        raise ValueError("expected a number above 0")
    return number


def _fraction(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 1:
        raise ValueError("expected a number from 0 to 1")
    return number


def _version(value: Any) -> int:
    if type(value) is not int or value != 1:  # `true` and `1.0` equal 1, but are not it
        raise ValueError("expected 1, the only version of the plan format")
    return 1


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


@dataclass(frozen=True, slots=True)
class _AlsoNull:
    """JSON Schema only: YAML's empty value (`goals:` with nothing under it) is accepted too."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [handler(schema), {"type": "null"}]}


@dataclass(frozen=True, slots=True)
class _AlsoIds:
    """JSON Schema only: `supports` may be one id, or a list mixing ids and {goal, weight}."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        listed = handler(schema)
        ident = handler(core_schema.str_schema())
        ident["description"] = "The id of the goal (or of one of its KPIs) supported."
        items = {"anyOf": [ident, listed.get("items", {})]}
        return {"anyOf": [ident, {"type": "array", "items": items}, {"type": "null"}]}


@dataclass(frozen=True, slots=True)
class _AlsoText:
    """JSON Schema only: an item that may also be written as plain text."""

    description: str

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [handler(schema), {"type": "string", "description": self.description}]}


Id = Annotated[
    str,
    AfterValidator(_check_id),
    Field(
        json_schema_extra={"pattern": ID_PATTERN},
        description="Unique across the whole plan: letters, digits, '_', '.' and '-'.",
    ),
]
Ref = Annotated[str, Field(description="The id of another item of the plan.")]
Number = Annotated[float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
ReadingValue = Annotated[
    float, PlainValidator(_reading_value), WithJsonSchema({"type": ["number", "boolean"]})
]
FormatVersion = Annotated[
    int, PlainValidator(_version), WithJsonSchema({"const": 1, "type": "integer"})
]
Weight = Annotated[
    float, PlainValidator(_weight), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
]
Fraction = Annotated[
    float, PlainValidator(_fraction), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1})
]
Date = Annotated[
    datetime.date,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-31"]}),
]
Text = Annotated[str, AfterValidator(_non_blank), Field(json_schema_extra={"pattern": r"\S"})]
T = TypeVar("T")
# A list that also accepts YAML null (an empty key) as the empty list.
List: TypeAlias = Annotated[list[T], BeforeValidator(_none_to_list), _AlsoNull()]


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
    _kpis_left_out: bool = False  # a goal kept without the KPIs that failed validation

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic's own __setattr__ looks up every underscore name slowly; these are ours.
        if name in _PLACED:
            object.__setattr__(self, name, value)
            return
        fields = getattr(self, "__pydantic_fields_set__", None)
        if type(fields) is _SharedFields:  # copy on write: pydantic adds the field's name
            object.__setattr__(self, "__pydantic_fields_set__", set(fields))
        super().__setattr__(name, value)


_PLACED = frozenset({"_origin", "_goal", "_level", "_unit", "_kpis_left_out"})


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
    """One measurement of a KPI: the date it was taken and the value."""

    model_config = ConfigDict(title="Check-in")

    date: Date = Field(description="When the value was measured.", examples=["2026-03-31"])
    value: ReadingValue = Field(
        description="The value measured; for a milestone 1 or 0, true or false.",
        examples=[14.5],
    )
    note: str | None = Field(
        default=None,
        description="What the owner says about the number.",
        examples=["Two enterprise deals slipped to January"],
    )
    confidence: Fraction | None = Field(
        default=None,
        description="The owner's confidence, 0..1, of reaching the target.",
        examples=[0.7],
    )
    by: Ref | None = Field(
        default=None, description="Who reported it (person id).", examples=["carol"]
    )


class Kpi(Item):
    """How a goal is measured: a metric with baseline and target, or a milestone."""

    model_config = ConfigDict(title="KPI")

    id: Id | None = Field(
        default=None,
        description="Optional; without one the KPI is `<goal id>.k<n>`. A goal may "
        "`supports:` a KPI id to show which key result it serves.",
        examples=["OBJ-1.share"],
    )
    name: Text = Field(description="What is measured.", examples=["Market share in the Northeast"])
    kind: Literal["metric", "milestone"] = Field(
        default="metric",
        description="`metric`: a number moving from baseline to target; "
        "`milestone`: done or not done.",
        examples=["metric"],
    )
    unit: str | None = Field(
        default=None,
        description="Free text for the unit of every number: %, USD, days, count...",
        examples=["%"],
    )
    baseline: Number | None = Field(
        default=None, description="The value at the start.", examples=[12]
    )
    target: Number | None = Field(
        default=None, description="The value to reach (metric).", examples=[20]
    )
    current: Number | None = Field(
        default=None, description="The latest value; measured on `as_of`.", examples=[15]
    )
    direction: Direction | None = Field(
        default=None,
        description="Default: `increase` if target > baseline, `decrease` if target < "
        "baseline; `maintain` stays inside `range`.",
        examples=["increase"],
    )
    range: tuple[Number | None, Number | None] | None = Field(
        default=None,
        description="[low, high]: the band to stay in, for `maintain`; either end may be "
        "null (stay above / stay below).",
        examples=[[95, None], [2, 5]],
    )
    done: StrictBool | None = Field(
        default=None, description="For milestones: reached or not.", examples=[True]
    )
    as_of: Date | None = Field(
        default=None,
        description="When `current` was measured (stale after `stale_after_days`).",
        examples=["2026-10-31"],
    )
    owner: Ref | None = Field(
        default=None,
        description="The person who reports the number (person id); default: the goal's owner.",
        examples=["dana"],
    )
    source: str | None = Field(
        default=None,
        description="Where the number comes from.",
        examples=["CRM quarterly report"],
    )
    frequency: Frequency | None = Field(
        default=None, description="How often it is measured.", examples=["monthly"]
    )
    history: List[CheckIn] = Field(
        default_factory=list,
        description="Check-ins, oldest first.",
        examples=[[{"date": "2026-03-31", "value": 13}, {"date": "2026-06-30", "value": 14}]],
    )

    @property
    def goal_id(self) -> str:
        """The id of the goal this KPI measures."""
        return self._goal

    @property
    def key(self) -> str:
        """The KPI's id, or `<goal id>.k<n>` when it has none (set by the loader)."""
        return self.id or ""

    @model_validator(mode="after")
    def _metric_readings(self) -> Kpi:
        if self.kind == "metric" and any(type(check.value) is bool for check in self.history):
            raise ValueError(
                "a metric's history values are numbers; true and false are for milestones"
            )
        return self

    def effective_direction(self) -> Direction | None:
        """The stated direction, else what baseline and target imply."""
        if self.direction is not None:
            return self.direction
        return implied_direction(self.baseline, self.target, ranged=self.range is not None)


def implied_direction(
    baseline: float | None, target: float | None, *, ranged: bool
) -> Direction | None:
    """The direction a KPI has when none is stated: a range is kept, a target above the
    baseline is an increase, below it a decrease (also what `import` leaves unwritten)."""
    if ranged:
        return "maintain"
    if baseline is not None and target is not None:
        if target > baseline:
            return "increase"
        if target < baseline:
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

    goal: Ref = Field(
        description="The id of the goal supported, or of one of its KPIs.", examples=["OBJ-2"]
    )
    weight: Weight = Field(
        default=1.0,
        description="How much this goal counts in the progress of the goal it supports.",
        examples=[2],
    )


class Initiative(Item):
    """Work planned to move a goal."""

    title: Text = Field(description="What will be done.", examples=["Quarterly account reviews"])
    owner: Ref | None = Field(
        default=None, description="Who leads it (person id).", examples=["bob"]
    )
    due: Date | None = Field(
        default=None, description="When it should be finished.", examples=["2026-06-30"]
    )
    impact: str | None = Field(
        default=None,
        description="What it is expected to change.",
        examples=["+5% renewal rate"],
    )


def _risk(value: Any) -> Any:
    return {"risk": value} if isinstance(value, str) else value


class Risk(Item):
    """What could stop a goal, and the answer to it."""

    risk: Text = Field(description="What could go wrong.", examples=["A competitor cuts prices"])
    mitigation: str | None = Field(
        default=None,
        description="What we will do about it.",
        examples=["Lock in two-year contracts"],
    )


class Goal(Item):
    """An objective or a department, team or personal goal; its level is where it is written."""

    id: Id = Field(description="Required; unique across the plan.", examples=["SALES-1"])
    title: Text = Field(
        description="What the goal is, in one line.",
        examples=["Increase average deal size by 15%"],
    )
    description: str | None = Field(
        default=None,
        description="More words on the goal: why it matters, what is in and out.",
        examples=["Focus on the 40 largest accounts."],
    )
    owner: Ref | None = Field(
        default=None,
        description="The accountable person (person id); default: the unit's `lead` "
        "(for personal goals: the person).",
        examples=["alice"],
    )
    supports: Annotated[list[Support], BeforeValidator(_support_list), _AlsoIds()] = Field(
        default_factory=list,
        description="The goals this goal contributes to: an id, or a list of ids or "
        "{goal, weight}. A goal supports goals of its own level or above.",
        examples=["OBJ-1", ["OBJ-1", {"goal": "OBJ-2", "weight": 2}]],
    )
    period: Ref | None = Field(
        default=None,
        description="The period of the goal (period id); default: the organization's.",
        examples=["FY2026"],
    )
    start: Date | None = Field(
        default=None,
        description="When work starts; default: the period's start.",
        examples=["2026-01-01"],
    )
    due: Date | None = Field(
        default=None,
        description="When the goal is due; default: the period's end.",
        examples=["2026-06-30"],
    )
    status: Status = Field(
        default="active",
        description="`draft` and `dropped` goals are shown but take no part in gap rules "
        "or progress.",
        examples=["active"],
    )
    perspective: Perspective | None = Field(
        default=None, description="Balanced Scorecard perspective.", examples=["customer"]
    )
    confidence: Fraction | None = Field(
        default=None, description="The owner's confidence, 0 to 1.", examples=[0.7]
    )
    commitment: Literal["committed", "aspirational"] = Field(
        default="committed",
        description="Committed goals are expected to reach 1.0, aspirational about 0.7.",
        examples=["aspirational"],
    )
    kpis: List[Kpi] = Field(
        default_factory=list,
        title="KPIs",
        description="How the goal is measured.",
        examples=[
            [
                {
                    "id": "SALES-1.deal",
                    "name": "Average deal size",
                    "unit": "USD",
                    "baseline": 40000,
                    "target": 46000,
                    "current": 42000,
                }
            ]
        ],
    )
    initiatives: List[Initiative] = Field(
        default_factory=list,
        description="The work planned to move the goal.",
        examples=[[{"title": "Quarterly account reviews", "owner": "bob"}]],
    )
    assumptions: List[str] = Field(
        default_factory=list,
        description="Beliefs the goal rests on, open to challenge.",
        examples=[["Demand in the Northeast keeps growing"]],
    )
    risks: List[
        Annotated[Risk, BeforeValidator(_risk), _AlsoText("The risk alone, without an answer.")]
    ] = Field(
        default_factory=list,
        description="What could stop the goal, and the answer: text, or {risk, mitigation}.",
        examples=[[{"risk": "A competitor cuts prices", "mitigation": "Two-year contracts"}]],
    )
    depends_on: List[Ref] = Field(
        default_factory=list,
        description="Sideways dependencies on other goals (not alignment).",
        examples=[["OPS-2"]],
    )
    tags: List[str] = Field(
        default_factory=list, description="Free labels.", examples=[["pricing"]]
    )
    waive: dict[str, Text] | None = Field(
        default=None,
        description="Switches a gap rule (code or name) off for this goal; the reason is "
        "required and shown.",
        examples=[{"goal-without-kpi": "measured through its team goals"}],
    )

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

    id: Id = Field(description="Required; unique across the plan.", examples=["sales"])
    name: str | None = Field(
        default=None, description="The name shown in reports.", examples=["Sales"]
    )
    goals: List[Goal] = Field(
        default_factory=list,
        description="The unit's goals; their level is the unit's.",
        examples=[
            [{"id": "SALES-1", "title": "Increase average deal size by 15%", "supports": "OBJ-1"}]
        ],
    )

    @property
    def label(self) -> str:
        return self.name or self.id


class Department(Unit):
    """A department; its goals are level `department`."""

    lead: Ref | None = Field(
        default=None,
        description="The person who leads it (person id); owns its goals that name no owner.",
        examples=["alice"],
    )


class Team(Unit):
    """A team inside a department; its goals are level `team`."""

    department: Ref = Field(
        description="Required: the department it belongs to.", examples=["sales"]
    )
    lead: Ref | None = Field(
        default=None,
        description="The person who leads it (person id); owns its goals that name no owner.",
        examples=["bob"],
    )


class Person(Unit):
    """A person, in a team or a department; their goals are level `individual`."""

    model_config = ConfigDict(
        json_schema_extra={
            "not": {
                "required": ["team", "department"],
                "properties": {
                    "team": {"not": {"type": "null"}},
                    "department": {"not": {"type": "null"}},
                },
            }
        }
    )

    id: Id = Field(description="Required; unique across the plan.", examples=["carol"])
    name: str | None = Field(
        default=None, description="The name shown in reports.", examples=["Carol Diaz"]
    )
    email: str | None = Field(default=None, description="Optional.", examples=["carol@example.com"])
    role: str | None = Field(
        default=None, description="Optional.", examples=["Key Account Manager"]
    )
    team: Ref | None = Field(
        default=None,
        description="The team the person belongs to (not together with `department`).",
        examples=["key-accounts"],
    )
    department: Ref | None = Field(
        default=None,
        description="The department the person belongs to, when not in a team.",
        examples=["sales"],
    )

    @model_validator(mode="after")
    def _one_home(self) -> Person:
        if self.team is not None and self.department is not None:
            raise ValueError("a person belongs to a team or a department, not both")
        return self


class Period(Item):
    """A span of time goals are set for; a period may sit inside a parent period."""

    id: Id = Field(description="Required; unique across the plan.", examples=["2026-Q1"])
    start: Date = Field(description="The first day.", examples=["2026-01-01"])
    end: Date = Field(description="The last day.", examples=["2026-03-31"])
    parent: Ref | None = Field(
        default=None,
        description="The period it lies inside (period id).",
        examples=["FY2026"],
    )


class Organization(Item):
    """Who the plan is for, and the vision every chain of goals leads up to."""

    name: Text = Field(description="The organization's name.", examples=["Northwind Supply"])
    vision: str | None = Field(
        default=None,
        description="Where the organization is going; the top of every line of sight.",
        examples=["Be the most trusted B2B supplier in the Northeast"],
    )
    mission: str | None = Field(
        default=None,
        description="What the organization does, for whom.",
        examples=["Deliver what our customers need, the day they need it"],
    )
    values: List[str] = Field(
        default_factory=list,
        description="The values the organization holds to.",
        examples=[["Customers first", "Own the outcome"]],
    )
    period: Ref | None = Field(
        default=None,
        description="The default period of every goal (period id).",
        examples=["FY2026"],
    )


class PlanFile(Item):
    """One YAML file of a plan; every section is optional and merged with the others."""

    model_config = ConfigDict(title="cascade plan file")

    schema_: str | None = Field(
        default=None,
        alias="$schema",
        title="$schema",
        description="The JSON Schema for editors; ignored by cascade.",
        examples=["../cascade.schema.json"],
    )
    version: FormatVersion | None = Field(
        default=None,
        description="The plan format version; only 1 exists.",
        examples=[1],
    )
    organization: Organization | None = Field(
        default=None,
        description="At most once in the whole plan.",
        examples=[
            {
                "name": "Northwind Supply",
                "vision": "Be the most trusted B2B supplier in the Northeast",
                "period": "FY2026",
            }
        ],
    )
    periods: List[Period] = Field(
        default_factory=list,
        description="The periods goals are set for.",
        examples=[[{"id": "FY2026", "start": "2026-01-01", "end": "2026-12-31"}]],
    )
    objectives: List[Goal] = Field(
        default_factory=list,
        description="Corporate objectives: level `objective`.",
        examples=[
            [
                {
                    "id": "OBJ-1",
                    "title": "Increase market share in the Northeast by 8%",
                    "owner": "dana",
                }
            ]
        ],
    )
    departments: List[Department] = Field(
        default_factory=list,
        description="Departments and their goals: level `department`.",
        examples=[[{"id": "sales", "name": "Sales", "lead": "alice"}]],
    )
    teams: List[Team] = Field(
        default_factory=list,
        description="Teams, each in a department, and their goals: level `team`.",
        examples=[[{"id": "key-accounts", "name": "Key Accounts", "department": "sales"}]],
    )
    people: List[Person] = Field(
        default_factory=list,
        description="People, each in a team or a department, and their goals: level `individual`.",
        examples=[[{"id": "carol", "name": "Carol Diaz", "team": "key-accounts"}]],
    )


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
    # What broken goals would have added to the cascade, as written: the ids their
    # `supports` name, and the units they are written under or owned by. Gap rules about what is
    # missing stay quiet where a broken goal may be what is missing.
    broken_supports: set[str] = field(default_factory=set)
    broken_units: set[str] = field(default_factory=set)

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
                set_field(kpi, "id", f"{goal.id}.k{n}")
    return plan


def set_field(item: Item, name: str, value: Any) -> None:
    """`item.name = value` as pydantic does it (no validation on assignment), keeping the
    record of set fields shared rather than copying it."""
    item.__dict__[name] = value
    object.__setattr__(
        item, "__pydantic_fields_set__", _shared({*item.__pydantic_fields_set__, name})
    )
