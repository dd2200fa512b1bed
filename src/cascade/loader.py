"""Find a plan's files, parse and validate each, and merge them into one `Plan`.

Every problem becomes a diagnostic at the exact file:line:col; only a missing plan path
raises (`CascadeError`), because then there is nothing to report on.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from cascade.collector import collector_paused
from cascade.diagnostics import SCHEMA, YAML_SYNTAX, Diagnostic, Location, error
from cascade.model import (
    Department,
    Goal,
    Item,
    Kpi,
    Organization,
    Origin,
    Period,
    Person,
    Plan,
    PlanFile,
    Team,
    Unit,
    place,
    set_field,
    share_field_sets,
)
from cascade.sources import (  # noqa: F401  (re-exported: where they used to live)
    PLAN_SUFFIXES,
    Source,
    discover,
    display_path,
    documents,
    read_sources,
    read_text,
)
from cascade.yamlsrc import Pos, locate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cascade.cache import Cache
    from cascade.meter import Meter
    from cascade.yamlsrc import Document

ItemT = TypeVar("ItemT", bound=Item)


@dataclass
class LoadedPlan:
    """The merged plan with everything needed to point back into the files."""

    plan: Plan
    files: list[str] = field(default_factory=list)
    positions: dict[str, Pos] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not about a file's content

    def locate(
        self, origin: Origin | None, path: tuple[Any, ...] = (), *, key: bool = False
    ) -> Location:
        """Where a key path inside an item is written; the nearest existing node if absent."""
        if origin is None:
            return Location("<plan>", 1, 1)
        root = self.positions.get(origin.file)
        if root is None:
            return Location(origin.file, 1, 1)
        line, column = locate(root, (*origin.path, *path), key=key)
        return Location(origin.file, line, column)


def load(
    root: Path,
    exclude: Path | None = None,
    *,
    cache: Cache | None = None,
    meter: Meter | None = None,
) -> LoadedPlan:
    """Read every file of the plan at `root` and merge them; never raises on content."""
    warnings: list[str] = []
    sources = read_sources(root, warnings, exclude)
    loaded = load_sources(sources, cache=cache, meter=meter)
    loaded.warnings[:0] = warnings
    return loaded


def load_sources(
    sources: list[Source],
    *,
    cache: Cache | None = None,
    meter: Meter | None = None,
    parsed: Iterator[tuple[int, Document]] | None = None,
) -> LoadedPlan:
    """Parse, validate and merge files already read (in their order).

    `parsed` is `documents(sources, cache)` when the caller started it earlier.
    """
    # The load builds millions of objects and frees none of them: the cyclic collector
    # would only walk them again and again (half the time of a big load).
    with collector_paused():
        stream = parsed if parsed is not None else documents(sources, cache)
        return _load(sources, stream, meter)


def _load(
    sources: list[Source], stream: Iterator[tuple[int, Document]], meter: Meter | None
) -> LoadedPlan:
    loaded = LoadedPlan(Plan())
    loaded.files = [source.file for source in sources]
    organization_at: Location | None = None
    # Files may come out of order (two processes parse them): each is checked as it comes,
    # then taken into the plan in file order, so the result does not depend on timing.
    checked: dict[int, _Checked] = {}
    taken = 0
    try:
        for index, document in stream:
            source = sources[index]
            if meter is not None:
                meter.advance(len(source.raw or b""))
            source.raw = None  # parsed: keep memory flat on a big plan
            checked[index] = _check(document, source.file, loaded.plan)
            while taken in checked:
                organization_at = _take(loaded, checked.pop(taken), organization_at)
                taken += 1
        assert taken == len(sources), "every file comes out of the stream once"
        place(loaded.plan)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # a helper process still at work stops here, even on an error
    return loaded


@dataclass(slots=True)
class _Checked:
    """One file, parsed and validated, waiting to be taken into the plan in file order."""

    file: str
    diagnostics: list[Diagnostic]
    pos: Pos | None = None
    plan_file: PlanFile | None = None


def _check(document: Document, file: str, plan: Plan) -> _Checked:
    """A file's problems and its valid content (salvaged items of a broken file included)."""
    checked = _Checked(file, list(document.diagnostics))
    if document.data is None or document.pos is None:
        return checked
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a single value"
        checked.diagnostics.append(
            error(
                YAML_SYNTAX,
                f"the top level is {kind}; a plan file is a mapping of sections",
                Location(file, document.pos.line, document.pos.column),
                hint="start the file with a section such as `objectives:` or `people:`",
            )
        )
        return checked
    # `x-` keys hold YAML anchors for reuse (as in docker compose); they are not plan.
    data = {k: v for k, v in document.data.items() if not str(k).startswith("x-")}
    checked.pos = document.pos
    checked.plan_file = _validate(data, document.pos, file, plan, checked.diagnostics)
    if document.salvaged:
        # A placeholder for an item broken by a syntax error fails the schema on purpose.
        checked.diagnostics = [
            d
            for d in checked.diagnostics
            if d.rule != SCHEMA[0] or d.location.line not in document.salvaged
        ]
    share_field_sets([checked.plan_file])
    return checked


def _take(
    loaded: LoadedPlan, checked: _Checked, organization_at: Location | None
) -> Location | None:
    """Add a checked file to the plan; where the organization is defined (first file)."""
    loaded.diagnostics.extend(checked.diagnostics)
    plan_file, file = checked.plan_file, checked.file
    if plan_file is None or checked.pos is None:
        return organization_at
    loaded.positions[file] = checked.pos
    if plan_file.organization is not None:
        here = Location(file, *locate(checked.pos, ("organization",), key=True))
        if organization_at is not None:
            loaded.diagnostics.append(
                error(
                    SCHEMA,
                    f"organization is defined twice; first at {organization_at}",
                    here,
                    hint="keep one `organization:` section in the whole plan",
                )
            )
        else:
            organization_at = here
            loaded.plan.organization = plan_file.organization
    _merge(loaded.plan, plan_file, file)
    return organization_at


def _merge(plan: Plan, plan_file: PlanFile, file: str) -> None:
    """Append a file's sections to the plan, recording where each item was written."""
    if plan_file.organization is not None:
        plan_file.organization._origin = Origin(file, ("organization",))
    for i, period in enumerate(plan_file.periods):
        _set_origin(period, file, ("periods", i))
    _set_goal_origins(plan_file.objectives, file, ("objectives",))
    for section in ("departments", "teams", "people"):
        units: list[Unit] = getattr(plan_file, section)
        for i, unit in enumerate(units):
            _set_origin(unit, file, (section, i))
            _set_goal_origins(unit.goals, file, (*unit._origin.path, "goals"))  # type: ignore[union-attr]
    plan.periods.extend(plan_file.periods)
    plan.objectives.extend(plan_file.objectives)
    plan.departments.extend(plan_file.departments)
    plan.teams.extend(plan_file.teams)
    plan.people.extend(plan_file.people)


def _set_origin(item: Item, file: str, path: tuple[Any, ...]) -> None:
    # Salvaged items already carry their origin: items before them may have been dropped.
    if item._origin is None:
        item._origin = Origin(file, path)


def _set_goal_origins(goals: list[Goal], file: str, prefix: tuple[Any, ...]) -> None:
    for j, goal in enumerate(goals):
        _set_origin(goal, file, (*prefix, j))
        for k, kpi in enumerate(goal.kpis):
            _set_origin(kpi, file, (*goal._origin.path, "kpis", k))  # type: ignore[union-attr]


# ---------------------------------------------------------------- schema validation


def _validate(
    data: dict[Any, Any], pos: Pos, file: str, plan: Plan, diagnostics: list[Diagnostic]
) -> PlanFile:
    """Validate a whole file at once (fast); on errors, keep every item that is valid."""
    try:
        return PlanFile.model_validate(data)
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            diagnostics.append(schema_diagnostic(problem, data, pos, file))
    return _Salvage(plan, file).plan_file(data)


class _Salvage:
    """The valid part of a file that failed validation: whole items, never half of one."""

    def __init__(self, plan: Plan, file: str) -> None:
        self.plan = plan
        self.file = file

    def plan_file(self, data: dict[Any, Any]) -> PlanFile:
        kept = PlanFile()
        organization = data.get("organization")
        if isinstance(organization, dict):
            kept.organization = self.item(Organization, organization, ("organization",))
        for i, entry in _entries(data, "periods"):
            period = self.item(Period, entry, ("periods", i))
            if period is not None:
                kept.periods.append(period)
        kept.objectives = self.goals(data.get("objectives"), ("objectives",))
        units: tuple[tuple[str, type[Unit]], ...] = (
            ("departments", Department),
            ("teams", Team),
            ("people", Person),
        )
        for section, model in units:
            for i, entry in _entries(data, section):
                shell = {k: v for k, v in entry.items() if k != "goals"}
                unit = self.item(model, shell, (section, i))
                written = entry.get("id")
                unit_id = str(written) if isinstance(written, str | int) else None
                goals = self.goals(entry.get("goals"), (section, i, "goals"), unit_id)
                if unit is None:
                    for goal in goals:  # their unit is broken: known, but left out
                        self.plan.broken_ids.add(goal.id)
                        self.plan.broken_ids.update(k.id for k in goal.kpis if k.id)
                    continue
                unit.goals = goals
                getattr(kept, section).append(unit)
        return kept

    def goals(self, entries: Any, prefix: tuple[Any, ...], unit: str | None = None) -> list[Goal]:
        goals = []
        for j, entry in enumerate(entries if isinstance(entries, list) else []):
            goal = self.item(Goal, entry, (*prefix, j), quiet=True)
            if goal is None:
                goal = self.without_broken_kpis(entry, (*prefix, j))
            if goal is not None:
                goals.append(goal)
                continue
            self.broken(entry)
            if unit is not None:
                self.plan.broken_units.add(unit)
            if isinstance(entry, dict):
                self.plan.broken_supports.update(_named(entry.get("supports")))
                self.plan.broken_units.update(_named(entry.get("owner")))
        return goals

    def without_broken_kpis(self, entry: Any, path: tuple[Any, ...]) -> Goal | None:
        """A goal whose only errors lie in some of its KPIs, kept without those KPIs: a
        typo in one number must not take the goal, and what it supports, out of the
        cascade (the gap rules would report an uncascaded objective, an empty unit...)."""
        kpis = entry.get("kpis") if isinstance(entry, dict) else None
        if not isinstance(kpis, list):
            return None
        valid = [(k, kpi) for k, kpi in enumerate(kpis) if _valid(Kpi, kpi)]
        if len(valid) == len(kpis):
            return None  # the goal's own fields are wrong
        goal = self.item(Goal, {**entry, "kpis": [kpi for _, kpi in valid]}, path, quiet=True)
        if goal is None:
            return None
        goal._kpis_left_out = True
        for (k, _), kpi in zip(valid, goal.kpis, strict=True):
            kpi._origin = Origin(self.file, (*path, "kpis", k))
            if kpi.id is None:  # the default id counts the KPIs as written
                set_field(kpi, "id", f"{goal.id}.k{k + 1}")
        kept = {k for k, _ in valid}
        for k, kpi in enumerate(kpis):
            if k not in kept:
                self.broken(kpi)
                self.plan.broken_ids.add(f"{goal.id}.k{k + 1}")
        return goal

    def item(
        self, model: type[ItemT], entry: Any, path: tuple[Any, ...], *, quiet: bool = False
    ) -> ItemT | None:
        """The valid item, else None (its ids remembered as broken, unless `quiet`)."""
        try:
            item = model.model_validate(entry)
        except ValidationError:
            if not quiet:
                self.broken(entry)
            return None
        item._origin = Origin(self.file, path)
        return item

    def broken(self, entry: Any) -> None:
        """Remember the ids a broken item defines, so references to it are not 'unknown'."""
        if not isinstance(entry, dict):
            return
        if isinstance(entry.get("id"), str | int) and not isinstance(entry.get("id"), bool):
            self.plan.broken_ids.add(str(entry["id"]))
        for key in ("kpis", "goals"):
            children = entry.get(key)
            for child in children if isinstance(children, list) else []:
                self.broken(child)


def _named(supports: Any) -> list[str]:
    """The ids a `supports` value names, read as leniently as a broken item needs."""
    items = supports if isinstance(supports, list) else [supports]
    named = [item.get("goal") if isinstance(item, dict) else item for item in items]
    return [str(n) for n in named if isinstance(n, str | int) and not isinstance(n, bool)]


def _valid(model: type[BaseModel], entry: Any) -> bool:
    try:
        model.model_validate(entry)
    except ValidationError:
        return False
    return True


def _entries(data: dict[Any, Any], section: str) -> list[tuple[int, dict[Any, Any]]]:
    entries = data.get(section)
    if not isinstance(entries, list):
        return []
    return [(i, entry) for i, entry in enumerate(entries) if isinstance(entry, dict)]


_FRIENDLY = {
    "list_type": ("expected a list", "write each item on its own line, starting with '- '"),
    "dict_type": ("expected a mapping of keys and values", "write `key: value` pairs here"),
    "model_type": ("expected a mapping of keys and values", "write `key: value` pairs here"),
    "model_attributes_type": ("expected a mapping of keys and values", "write `key: value` pairs"),
    "string_type": ("expected text", "write the text, quoted if it looks like a number or date"),
    "bool_type": ("expected true or false", "write true or false"),
    "bool_parsing": ("expected true or false", "write true or false"),
    "tuple_type": ("expected a list of two values [low, high]", "write [low, high]; null is open"),
    "too_long": ("expected a list of two values [low, high]", "write [low, high]; null is open"),
    "too_short": ("expected a list of two values [low, high]", "write [low, high]; null is open"),
    "float_type": ("expected a number", "write a plain number such as 42 or 0.5"),
    "float_parsing": ("expected a number", "write a plain number such as 42 or 0.5"),
    "int_type": ("expected a whole number", "write a whole number such as 7"),
    "int_parsing": ("expected a whole number", "write a whole number such as 7"),
    "greater_than": ("must be greater than {gt}", "use a number above {gt}"),
    "greater_than_equal": ("must be at least {ge}", "use a number of at least {ge}"),
    "less_than_equal": ("must be at most {le}", "use a number of at most {le}"),
    "less_than": ("must be less than {lt}", "use a number below {lt}"),
}

# Hints for the messages of the models' own validators, by a word in the message.
_VALUE_HINTS = (
    ("calendar date", "check the day and month; dates are YYYY-MM-DD"),
    ("YYYY-MM-DD", "write the date as YYYY-MM-DD, e.g. 2026-03-31"),
    ("finite number", "write a real number; NaN and infinity cannot be measured"),
    ("no larger than", "write the number in a larger unit, e.g. millions"),
    ("only version", "write `version: 1`, or leave the line out"),
    ("number above 0", "write a plain number above 0, such as 1 or 2.5"),
    ("number from 0 to 1", "write a plain number from 0 to 1, such as 0.7"),
    ("expected a number", "write a plain number such as 42; put the unit in `unit:`"),
    ("id pattern", "use letters, digits, '_', '.' and '-', e.g. SALES-1"),
    ("must not be empty", "write a short, specific text"),
    ("not both", "keep either `team:` or `department:`"),
)


def schema_diagnostic(
    problem: Any, data: Any, pos: Pos, file: str, root: type[BaseModel] = PlanFile
) -> Diagnostic:
    """One pydantic problem as a `schema` diagnostic in plain words, at its file:line:col.

    `root` is the model the data was validated against (a plan file, or `cascade.yaml`).
    """
    loc: tuple[Any, ...] = tuple(problem["loc"])
    kind: str = problem["type"]
    # A model-level error (loc ends at an item) is about the item, not a field.
    field_name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    value = problem.get("input")
    ctx = problem.get("ctx") or {}
    hint: str | None = None
    if kind == "missing":
        message = f"missing required field '{loc[-1]}'"
        line, column = locate(pos, loc[:-1])
        hint = f"add `{loc[-1]}:` to this item"
    elif kind == "extra_forbidden":
        known = _fields_at(loc[:-1], root)
        where = "section" if len(loc) == 1 else "field"
        message = f"unknown {where} '{loc[-1]}'"
        line, column = locate(pos, loc, key=True)
        hint = _did_you_mean(str(loc[-1]), known) or (
            f"known {where}s: {', '.join(sorted(known))}" if known else "remove it"
        )
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", ctx["expected"]) or re.findall(r"(\d+)", ctx["expected"])
        if loc == ("version",):
            message = f"version: {_show(value)} is not supported; this cascade reads version 1"
            hint = "write `version: 1`, or remove the key"
        else:
            message = f"{field_name}: {_show(value)} is not one of {', '.join(choices)}"
            hint = _did_you_mean(str(value), choices) or f"use one of: {', '.join(choices)}"
        line, column = locate(pos, loc)
    else:
        text, hint = _FRIENDLY.get(kind, (None, None))
        if text is None:
            text = str(problem["msg"]).removeprefix("Value error, ")
            hint = next((h for word, h in _VALUE_HINTS if word in text), None)
        else:
            shown = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
            text, hint = text.format(**shown), (hint or "").format(**shown) or None
        message = f"{field_name}: {text}" if field_name else text
        if kind != "value_error" and _is_scalar(value) and _show(value) not in message:
            message += f", got {_show(value)}"
        line, column = locate(pos, loc)
        if kind == "string_type" and isinstance(value, bool):
            hint = "quote the value: YAML reads yes/no/on/off as true/false"
        elif kind == "string_type" and value is None:
            hint = "write a value, or remove the key"
    return error(
        SCHEMA,
        message,
        Location(file, line, column),
        subject=_subject(data, loc),
        hint=hint or "see the plan format for this field",
    )


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _show(value: Any) -> str:
    text = (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool | None)
        else str(value)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(word: str, choices: Any) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f"did you mean '{matches[0]}'?" if matches else None


def _subject(data: Any, loc: tuple[Any, ...]) -> str | None:
    """The id of the innermost item (goal, KPI, unit, period) that holds the problem."""
    subject: str | None = None
    node = data
    for step in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            subject = node["id"]
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        subject = node["id"]
    return subject


def _fields_at(loc: tuple[Any, ...], root: type[BaseModel] = PlanFile) -> list[str]:
    """The field names allowed at a location, found by walking the models' annotations."""
    current: Any = root
    for step in loc:
        if isinstance(step, int):
            current = _item_type(current)
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(step) or next(
            (f for f in current.model_fields.values() if f.alias == step), None
        )
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any) -> Any:
    """Strip Optional/Annotated; keep list[...] so that an index step can open it."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if args else annotation
            if len(args) <= 1:
                continue
            return annotation
        else:
            return annotation


def _item_type(annotation: Any) -> Any:
    annotation = _model_in(annotation)
    if typing.get_origin(annotation) in (list, tuple):
        return _model_in(typing.get_args(annotation)[0])
    return annotation
