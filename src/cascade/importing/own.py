"""cascade's own tables read back (what `export` writes, as CSV files or workbook sheets),
so that export, import, export gives the same rows.

Only what the plan states is read: the columns `export` works out (progress, expected,
status bands, staleness, names, the gaps and the matrix) are worked out again from the
plan written. Effective values (a goal's owner, period and a KPI's direction with the
defaults applied) are written only where they differ from the default, so the plan reads
as a person would have written it. A row that cannot be used is a `SOURCE:ROW: why` line
and is left out; a reference to a row left out is dropped with it, without a second line.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, get_args

from cascade.exporting.model import COLUMNS
from cascade.importing.plan import GOAL_ORDER, ID, Imported
from cascade.importing.sources import Sheet, Value
from cascade.model import Direction, Frequency, Perspective, Status, implied_direction
from cascade.readings import milestone_value, number

# The tables that say something about the plan; `gaps` and `matrix` are worked out from it.
READ = ("organization", "periods", "units", "goals", "kpis", "readings")
LEVELS = ("objective", "department", "team", "individual")


class _Bad(Exception):
    """A row that cannot be used, and why."""


def own_tables(sheets: list[Sheet]) -> dict[str, Sheet]:
    """The sheets that are cascade's own tables, by name, recognised by their headers."""
    found: dict[str, Sheet] = {}
    for sheet in sheets:
        for name, columns in COLUMNS.items():
            if sheet.header == columns and name not in found:
                found[name] = sheet
    return found


@dataclass
class _Record:
    """One row of a table, its cells by column name, and where it came from."""

    source: str
    row: int
    cells: dict[str, Value]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.row}"

    def text(self, column: str) -> str | None:
        """Plan text: the one `'` export put before a formula-like value removed."""
        value = self.cells.get(column)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        text = str(value)
        if text.startswith("'"):
            text = text[1:]
        return text if text.strip() else None

    def required(self, column: str) -> str:
        found = self.text(column)
        if found is None:
            raise _Bad(f"no {column}")
        return found

    def ident(self, column: str = "id") -> str:
        found = self.required(column)
        if not ID.fullmatch(found):
            raise _Bad(f"{column} {found!r} is not an id (letters, digits, _ . -)")
        return found

    def number(self, column: str) -> int | float | None:
        value = self.cells.get(column)
        if isinstance(value, bool):
            raise _Bad(f"{column} {value!r} is not a number")
        if isinstance(value, int | float):
            return int(value) if isinstance(value, float) and value.is_integer() else value
        text = self.text(column)
        if text is None:
            return None
        found = number(text.strip())
        if found is None:
            raise _Bad(f"{column} {text!r} is not a number")
        return found

    def day(self, column: str) -> datetime.date | None:
        value = self.cells.get(column)
        if isinstance(value, datetime.date):
            return value
        text = self.text(column)
        if text is None:
            return None
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            raise _Bad(f"{column} {text!r} is not a date YYYY-MM-DD") from None

    def flag(self, column: str) -> bool | None:
        value = self.cells.get(column)
        if isinstance(value, bool) or value is None:
            return value
        text = (self.text(column) or "").strip().lower()
        if not text:
            return None
        if text not in ("true", "false"):
            raise _Bad(f"{column} {text!r} is not true or false")
        return text == "true"

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        found = self.text(column)
        if found is not None and found not in allowed:
            raise _Bad(f"{column} {found!r} is not one of {', '.join(allowed)}")
        return found


def split(cell: str | None) -> list[str]:
    """A joined cell back into its items: `;` between them, `\\;` and `\\\\` inside."""
    if not cell:
        return []
    items, current, escaped = [], "", False
    for char in cell:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item for item in items if item.strip()]


def _records(sheet: Sheet | None) -> Iterator[_Record]:
    if sheet is None:
        return
    for number_, row in sheet.rows:
        cells = {c: (row[i] if i < len(row) else None) for i, c in enumerate(sheet.header)}
        yield _Record(sheet.source, number_, cells)


def _implied(kpi: dict[str, Any]) -> str | None:
    """The direction a KPI has without one stated, as the plan would work it out."""
    return implied_direction(kpi.get("baseline"), kpi.get("target"), ranged="range" in kpi)


class _Reader:
    def __init__(self, tables: dict[str, Sheet], out: Imported) -> None:
        self.tables = tables
        self.out = out
        self.problems: list[tuple[str, int, str]] = []
        self.taken: set[str] = set()  # every id written: one namespace
        self.periods: set[str] = set()
        self.default_period: str | None = None
        self.leads: dict[str, str | None] = {}  # department and team id -> lead

    def each(self, table: str, use: Callable[[_Record], None]) -> None:
        for record in _records(self.tables.get(table)):
            try:
                use(record)
            except _Bad as why:
                self.problems.append((record.source, record.row, f"{record.where}: {why}"))

    def claim(self, ident: str) -> None:
        if ident in self.taken:
            raise _Bad(f"id {ident!r} again")
        self.taken.add(ident)

    def read(self) -> None:
        self.each("periods", self.period)
        self.each("organization", self.organization)
        self.each("units", self.unit)
        self.goal_rows = {r.text("id"): r for r in _records(self.tables.get("goals"))}
        self.goals: dict[str, dict[str, Any]] = {}
        self.each("goals", self.goal)
        self.kpis: dict[str, dict[str, Any]] = {}  # KPI key -> the KPI written
        self.kpi_rows = {r.text("id") for r in _records(self.tables.get("kpis"))}
        self.each("kpis", self.kpi)
        self.each("readings", self.reading)
        self.link()
        self.place()
        self.out.problems += [text for *_, text in sorted(self.problems)]

    # -- the organization, its periods and units ---------------------------------------

    def period(self, record: _Record) -> None:
        ident = record.ident()
        start, end = record.day("start"), record.day("end")
        if start is None or end is None:
            raise _Bad("a period needs a start and an end")
        self.claim(ident)
        period: dict[str, Any] = {"id": ident, "start": start, "end": end}
        parent = record.text("parent")
        if parent:
            period["parent"] = parent
        self.periods.add(ident)
        self.out.periods.append(period)

    def organization(self, record: _Record) -> None:
        key, value = record.required("key"), record.text("value")
        if key not in ("name", "vision", "mission", "values", "period"):
            raise _Bad(f"key {key!r} is not name, vision, mission, values or period")
        if value is None:
            return
        organization = self.out.organization
        if key == "values":
            organization["values"] = [v.strip() for v in value.split("; ") if v.strip()]
        elif key == "period":
            if value not in self.periods:
                raise _Bad(f"period {value!r} is not in the periods table")
            organization["period"] = self.default_period = value
        else:
            organization[key] = value

    def unit(self, record: _Record) -> None:
        ident = record.ident()
        kind = record.choice("kind", ("department", "team", "person"))
        if kind is None:
            raise _Bad("no kind (department, team or person)")
        self.claim(ident)
        unit: dict[str, Any] = {"id": ident}
        name = record.text("name")
        if name:
            unit["name"] = name
        if kind == "person":
            for column in ("email", "role"):
                if record.text(column):
                    unit[column] = record.text(column)
            team, department = record.text("team"), record.text("department")
            if team or department:
                unit["_in"] = ("team", team) if team else ("department", department)
            self.out.people[ident] = {**unit, "goals": []}
            return
        lead = record.text("lead")
        if lead:
            unit["lead"] = lead
        self.leads[ident] = lead
        if kind == "team":
            department = record.text("department")
            if not department:
                raise _Bad("a team needs its department")
            self.out.teams[ident] = {**unit, "department": department, "goals": []}
        else:
            self.out.departments[ident] = {**unit, "goals": []}

    def person(self, ident: str, name: str | None = None) -> None:
        """A person the plan names and the units table does not hold: made, and said."""
        if ident in self.out.people or not ID.fullmatch(ident):
            return
        self.out.people[ident] = {"id": ident, **({"name": name} if name else {}), "goals": []}
        self.taken.add(ident)
        self.out.notes.append(f"person {ident!r} is not in the units table: made")

    # -- goals, KPIs and readings --------------------------------------------------------

    def goal(self, record: _Record) -> None:
        ident = record.ident()
        level = record.choice("level", LEVELS)
        if level is None:
            raise _Bad("no level (objective, department, team or individual)")
        title = record.required("title")
        unit = record.text("unit")
        if level != "objective":
            unit = self.home(level, unit, record)
        self.claim(ident)
        goal: dict[str, Any] = {"id": ident, "title": title}
        description = record.text("description")
        if description:
            goal["description"] = description
        owner = record.text("owner")
        default = unit if level == "individual" else self.leads.get(unit or "")
        if owner and owner != default:
            self.person(owner, record.text("owner_name"))
            goal["owner"] = owner
        goal["_supports"] = split(record.text("supports"))
        period = record.text("period")
        if period and period != self.default_period:
            if period in self.periods:
                goal["period"] = period
            else:
                self.out.notes.append(f"{record.where}: period {period!r} is unknown: left out")
        for column in ("start", "due"):
            day = record.day(column)
            if day is not None:
                goal[column] = day
        status = record.choice("status", get_args(Status))
        if status not in (None, "active"):
            goal["status"] = status
        perspective = record.choice("perspective", get_args(Perspective))
        if perspective:
            goal["perspective"] = perspective
        confidence = record.number("confidence")
        if confidence is not None:
            goal["confidence"] = confidence
        commitment = record.choice("commitment", ("committed", "aspirational"))
        if commitment == "aspirational":
            goal["commitment"] = commitment
        goal["kpis"] = []
        goal["_depends_on"] = split(record.text("depends_on"))
        tags = split(record.text("tags"))
        if tags:
            goal["tags"] = tags
        goal["_home"] = (level, unit)
        goal["_row"] = record
        self.goals[ident] = goal

    def home(self, level: str, unit: str | None, record: _Record) -> str:
        """The unit a goal is written under, made when the units table lacks it."""
        if not unit:
            raise _Bad(f"a {level} goal without its unit")
        out = self.out
        kinds = {"department": out.departments, "team": out.teams, "individual": out.people}
        if unit in kinds[level]:
            return unit
        if unit in self.taken:
            raise _Bad(f"unit {unit!r} is not a {level.replace('individual', 'person')}")
        if not ID.fullmatch(unit):
            raise _Bad(f"unit {unit!r} is not an id (letters, digits, _ . -)")
        self.taken.add(unit)
        name = record.text("unit_name")
        made: dict[str, Any] = {"id": unit, **({"name": name} if name else {}), "goals": []}
        if level == "individual":
            out.people[unit] = made
        else:
            # A team needs its department, which only the units table knows.
            out.departments[unit] = made
            self.leads[unit] = None
            if level == "team":
                out.notes.append(f"team {unit!r} is not in the units table: made a department")
        return unit

    def kpi(self, record: _Record) -> None:
        owner_goal = record.required("goal")
        goal = self.goals.get(owner_goal)
        if goal is None:
            if owner_goal in self.goal_rows:
                return  # its goal was left out, and said so
            raise _Bad(f"goal {owner_goal!r} is not in the goals table")
        key = record.ident()
        kind = record.choice("kind", ("metric", "milestone")) or "metric"
        kpi: dict[str, Any] = {"name": record.required("name")}
        if kind == "milestone":
            kpi["kind"] = kind
        for column in ("unit", "source"):
            if record.text(column):
                kpi[column] = record.text(column)
        for column in ("baseline", "target"):
            value = record.number(column)
            if value is not None:
                kpi[column] = value
        low, high = record.number("range_low"), record.number("range_high")
        if low is not None or high is not None:
            kpi["range"] = [low, high]
        direction = record.choice("direction", get_args(Direction))
        if direction and direction != _implied(kpi):
            kpi["direction"] = direction
        frequency = record.choice("frequency", get_args(Frequency))
        if frequency:
            kpi["frequency"] = frequency
        owner = record.text("owner")
        level, unit = goal["_home"]
        default = goal.get("owner") or (unit if level == "individual" else self.leads.get(unit))
        if owner and owner != default:
            self.person(owner)
            kpi["owner"] = owner
        current = record.number("current") if kind == "metric" else record.flag("done")
        kpi["_current"] = (current, record.day("as_of"))
        kpi["_key"] = key
        kpi["history"] = []
        if key in self.taken:
            raise _Bad(f"id {key!r} again")
        if key != f"{owner_goal}.k{len(goal['kpis']) + 1}":
            self.claim(key)
            kpi = {"id": key, **kpi}
        self.kpis[key] = kpi
        goal["kpis"].append(kpi)

    def reading(self, record: _Record) -> None:
        key = record.required("kpi")
        kpi = self.kpis.get(key)
        if kpi is None:
            if key in self.kpi_rows:
                return
            raise _Bad(f"KPI {key!r} is not in the kpis table")
        day = record.day("date")
        if day is None:
            raise _Bad("a reading without a date")
        check: dict[str, Any] = {"date": day}
        if kpi.get("kind") == "milestone":
            text = record.text("value") or ""
            value = milestone_value(text)
            if value is None:
                raise _Bad(f"value {text!r} is not done or not done")
            check["value"] = value == 1
        else:
            found = record.number("value")
            if found is None:
                raise _Bad("a reading without a value")
            check["value"] = found
        note = record.text("note")
        if note:
            check["note"] = note
        confidence = record.number("confidence")
        if confidence is not None:
            check["confidence"] = confidence
        by = record.text("by")
        if by:
            self.person(by)
            check["by"] = by
        kpi["history"].append(check)

    # -- links and places ----------------------------------------------------------------

    def link(self) -> None:
        """Supports and dependencies by id; a link to a row left out goes with it."""
        known = set(self.goal_rows) | self.kpi_rows
        linkable = set(self.goals) | set(self.kpis)
        changed = True
        while changed:  # a goal left out for a bad link may be another's parent
            changed = False
            for ident, goal in list(self.goals.items()):
                record: _Record = goal["_row"]
                supports: list[Any] = []
                for item in goal["_supports"]:
                    ref, _, weight = item.partition("*")
                    if ref not in linkable:
                        if ref in known:
                            continue
                        self.problems.append(
                            (record.source, record.row,
                             f"{record.where}: parent {ref!r} matches no goal")
                        )  # fmt: skip
                        del self.goals[ident]
                        linkable -= {ident, *(kpi["_key"] for kpi in goal["kpis"])}
                        changed = True
                        break
                    value = number(weight) if weight else 1
                    if value is None or value <= 0:
                        value = 1
                        self.out.notes.append(f"{record.where}: weight of {ref!r} read as 1")
                    supports.append(ref if value == 1 else {"goal": ref, "weight": value})
                else:
                    goal["supports"] = supports
        for goal in self.goals.values():
            depends = [d for d in goal["_depends_on"] if d in self.goals]
            if depends:
                goal["depends_on"] = depends
            for kpi in goal["kpis"]:
                self.settle(kpi)

    def settle(self, kpi: dict[str, Any]) -> None:
        """A KPI's `current` and `as_of` (a milestone's `done`), and its `history`. The
        latest reading is written as `current` when it is no more than that (no note, no
        confidence, no reporter), as a person writes it; one the readings hold is not
        written twice."""
        del kpi["_key"]
        current, as_of = kpi.pop("_current")
        history = sorted(kpi.pop("history"), key=lambda check: check["date"])
        if history and history[-1]["date"] == as_of and set(history[-1]) == {"date", "value"}:
            current = history.pop()["value"]
        if current is not None and not (as_of and any(c["date"] == as_of for c in history)):
            kpi["done" if kpi.get("kind") == "milestone" else "current"] = current
            if as_of:
                kpi["as_of"] = as_of
        if history:
            kpi["history"] = history

    def place(self) -> None:
        out = self.out
        for goal in self.goals.values():
            level, unit = goal["_home"]
            written = {k: goal[k] for k in GOAL_ORDER if goal.get(k) not in (None, [])}
            if level == "objective":
                out.objectives.append(written)
            elif level == "department":
                out.departments[unit]["goals"].append(written)
            elif level == "team":
                out.teams[unit]["goals"].append(written)
            else:
                out.people[unit]["goals"].append(written)
        for period in out.periods:
            if period.get("parent") not in (None, *self.periods):
                parent = period.pop("parent")
                out.notes.append(f"period {period['id']!r}: parent {parent!r} is unknown")
        for unit in (*out.departments.values(), *out.teams.values()):
            if unit.get("lead"):
                self.person(unit["lead"])
        for team in list(out.teams.values()):
            if team["department"] not in out.departments:
                del out.teams[team["id"]]
                team.pop("department")
                out.departments[team["id"]] = team
                out.notes.append(
                    f"team {team['id']!r}: its department is not in the units table: "
                    "made a department"
                )
        for person in out.people.values():
            kind, home = person.pop("_in", (None, None))
            units = out.teams if kind == "team" else out.departments
            if home in units:
                person[kind] = home
            elif home:
                out.notes.append(f"person {person['id']!r}: {kind} {home!r} is unknown")
        for units in (out.departments, out.teams, out.people):
            for unit in units.values():
                if not unit["goals"]:
                    del unit["goals"]


def from_own(tables: dict[str, Sheet], name: str) -> Imported:
    """The plan cascade's own tables describe."""
    out = Imported({"name": name})
    _Reader(tables, out).read()
    return out
