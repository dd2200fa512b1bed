"""Sheets -> a plan: cascade's own tables read back, or any sheet with a header row read
through the documented aliases. The result is plain data in the plan format, ready to be
written as files; every row that cannot be used is a `SOURCE:ROW: why` line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from cascade.errors import CascadeError
from cascade.importing.own import from_own, own_tables
from cascade.importing.plan import GOAL_ORDER, ID, Imported
from cascade.importing.sources import Sheet, Value
from cascade.readings import number, why_not_date, why_not_number

ALIASES: dict[str, list[str]] = {
    "id": ["id", "key", "goal id", "okr id", "okr reference", "row id"],
    "title": ["title", "name", "objective", "objective title", "goal", "goal title", "goal name"],
    "type": ["type", "object type", "item type", "goal type"],
    "level": ["level", "scope", "tier"],
    "supports": [
        "supports", "parent", "parent id", "parent ids", "parent goal id", "parent goal ids",
        "parent okr", "aligned to", "alignment",
    ],
    "owner": [
        "owner", "owner email", "owner emails", "owner email id", "owner name", "lead",
        "assignee",
    ],
    "department": ["department", "departments", "division"],
    "team": ["team", "teams", "group"],
    "period": ["period", "time period", "goal cycle", "cycle", "quarter", "timeframe"],
    "start": ["start", "start date"],
    "due": ["due", "due date", "end", "end date", "target date"],
    "status": ["status", "state"],
    "description": ["description", "details", "notes"],
    "tags": ["tags", "labels", "tag"],
    "kpi": ["metric name", "key result", "kr", "kpi", "measure"],
    "baseline": [
        "baseline", "start value", "starting value", "metric start value", "initial value",
    ],
    "target": ["target", "target value", "metric target value", "goal value"],
    "current": ["current", "current value", "actual", "value", "latest value"],
    "unit": ["metric unit", "unit of measure", "uom", "unit"],
}  # fmt: skip
KPI_TYPES = {"keyresult", "kr", "metric", "kpi", "measure"}
LEVELS = {
    "objective": "objective", "company": "objective", "corporate": "objective",
    "department": "department", "division": "department",
    "team": "team", "group": "team",
    "individual": "individual", "personal": "individual", "person": "individual",
}  # fmt: skip
STATUSES = {
    **dict.fromkeys(
        ["on track", "at risk", "off track", "behind", "not started", "started",
         "in progress", "open", "ongoing", "active"], "active"),
    **dict.fromkeys(
        ["done", "complete", "completed", "achieved", "closed", "successful", "success"],
        "achieved"),
    **dict.fromkeys(["missed", "failed", "unsuccessful"], "missed"),
    **dict.fromkeys(
        ["cancelled", "canceled", "dropped", "abandoned", "deleted", "archived"], "dropped"),
    **dict.fromkeys(["draft", "planned", "backlog"], "draft"),
}  # fmt: skip


def normal(header: str) -> str:
    """A header as compared: lower case, without spaces, `_` and `-`."""
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


def unit_id(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "unit"


def person_id(value: str) -> str:
    local = value.split("@")[0] if "@" in value else value
    return re.sub(r"[^a-z0-9._-]+", "-", local.lower()).strip("-._") or "person"


def period_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-") or "period"


def split_supports(cell: str) -> list[tuple[str, float]]:
    """`A;B*2`, `A, B (weight: 2)`, `(weight: 50%, Id: 12)`: (reference, weight) pairs."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in cell:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in ";\n" or (char == "," and depth == 0):
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    found: list[tuple[str, float]] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        weight = 1.0
        inside = re.fullmatch(r"\(\s*weight:\s*([\d.]+)\s*(%?)\s*,\s*id:\s*(.+?)\s*\)", part, re.I)
        if inside:
            weight = float(inside[1]) / (100 if inside[2] else 1)
            part = inside[3]
        else:
            after = re.fullmatch(r"(.+?)\s*\(\s*weight:\s*([\d.]+)\s*(%?)\s*\)", part, re.I)
            star = re.fullmatch(r"(.+?)\*([\d.]+)", part)
            if after:
                part, weight = after[1], float(after[2]) / (100 if after[3] else 1)
            elif star:
                part, weight = star[1], float(star[2])
        if weight > 0:
            found.append((part.strip(), weight))
    return found


@dataclass
class _Row:
    number: int
    cells: dict[str, Value]
    goal: dict[str, Any] = field(default_factory=dict)


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Generic:
    """Any sheet with a header row, read through the aliases (and `--columns`)."""

    def __init__(self, sheet: Sheet, columns: dict[str, str], out: Imported) -> None:
        self.sheet = sheet
        self.out = out
        self.where: dict[str, int] = {}
        by_header = {normal(h): i for i, h in reversed(list(enumerate(sheet.header)))}
        for name, header in columns.items():
            if normal(header) not in by_header:
                raise CascadeError(f"--columns: {header!r} is not a header of {sheet.source}")
            self.where[name] = by_header[normal(header)]
        for index, header in enumerate(sheet.header):
            key = normal(header)
            if not key or index in self.where.values():
                continue
            for name, aliases in ALIASES.items():
                if name not in self.where and key in {normal(a) for a in aliases}:
                    self.where[name] = index
                    break
        unused = [h for i, h in enumerate(sheet.header) if h and i not in self.where.values()]
        if unused:
            out.notes.append(f"{sheet.source}: columns not read: {', '.join(unused)}")
        if "title" not in self.where and "kpi" not in self.where:
            raise CascadeError(f"{sheet.source}: no title column (see --columns)")
        self.taken: set[str] = set()
        self.found: list[tuple[int, str]] = []  # rows that cannot be used, with why
        self.read_with_units = 0  # numbers written `15%`, `$1,200`: read, and said once
        self.people_by_value: dict[str, str] = {}  # an owner cell's value -> person id

    def problem(self, row: int, why: str) -> None:
        self.found.append((row, f"{self.sheet.source}:{row}: {why}"))

    def cells(self, row: list[Value]) -> dict[str, Value]:
        return {
            name: (row[index] if index < len(row) else None) for name, index in self.where.items()
        }

    def build(self) -> None:
        goals: list[_Row] = []
        results: list[_Row] = []
        for number_, values in self.sheet.rows:
            cells = self.cells(values)
            kind = normal(_text(cells.get("type")))
            (results if kind in KPI_TYPES else goals).append(_Row(number_, cells))
        ids: dict[str, _Row] = {}
        for row in goals:
            if not self._goal(row):
                continue
            given = _text(row.cells.get("id"))
            if given:
                if not ID.fullmatch(given):
                    self.problem(row.number, f"id {given!r} is not an id (letters, digits, _ . -)")
                    row.goal = {}
                    continue
                if given in ids:
                    self.problem(row.number, f"id {given!r} again (row {ids[given].number})")
                    row.goal = {}
                    continue
                ids[given] = row
                row.goal["id"] = given
        goals = [row for row in goals if row.goal]
        by_title: dict[str, list[_Row]] = {}
        for row in goals:
            by_title.setdefault(row.goal["title"].casefold(), []).append(row)
        self._parents(goals, ids, by_title)
        self.taken |= set(ids)  # a key result's id must not be a goal's
        for result in results:
            self._result(result, ids, by_title)
        self._place(goals, ids)
        self.out.problems += [text for _, text in sorted(self.found, key=lambda f: f[0])]
        if self.read_with_units:
            self.out.notes.append(
                f"{self.sheet.source}: {self.read_with_units} numbers read from text with a unit "
                "or thousands separators (`15%` as 15 with unit %, `$1,200` as 1200 with unit $)"
            )

    def _goal(self, row: _Row) -> bool:
        cells = row.cells
        title = _text(cells.get("title")) or _text(cells.get("kpi"))
        if not title:
            self.problem(row.number, "no title")
            return False
        goal: dict[str, Any] = {"title": title}
        for name in ("description",):
            if _text(cells.get(name)):
                goal[name] = _text(cells.get(name))
        tags = _text(cells.get("tags"))
        if tags:
            goal["tags"] = [t.strip() for t in re.split(r"[;,]", tags) if t.strip()]
        for name in ("start", "due"):
            day = self._date(row, name)
            if day is False:
                return False
            if day is not None:
                goal[name] = day
        status = _text(cells.get("status"))
        if status:
            mapped = STATUSES.get(" ".join(status.lower().replace("_", " ").split()))
            if mapped is None:
                self.out.notes.append(
                    f"{self.sheet.source}:{row.number}: status {status!r} read as active"
                )
                mapped = "active"
            if mapped != "active":
                goal["status"] = mapped
        kpi = self._kpi(row, title)
        if kpi is False:
            return False
        if kpi:
            goal["kpis"] = [kpi]
        row.goal = goal
        return True

    def _date(self, row: _Row, name: str) -> datetime.date | bool | None:
        value = row.cells.get(name)
        if value is None or _text(value) == "":
            return None
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        serial = _serial(value)
        if serial is not None:
            return serial
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return datetime.date.fromisoformat(text)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text):
                return datetime.date.fromisoformat(text[:10])
        except ValueError:
            pass
        why, hint = why_not_date(text)
        self.problem(row.number, f"{name} {why} ({hint})")
        return False

    def _kpi(self, row: _Row, fallback: str) -> dict[str, Any] | bool | None:
        cells = row.cells
        if not any(_text(cells.get(n)) for n in ("kpi", "baseline", "target", "current")):
            return None
        kpi: dict[str, Any] = {"name": _text(cells.get("kpi")) or fallback}
        unit = _text(cells.get("unit"))
        if unit:
            kpi["unit"] = unit
        for name in ("baseline", "target", "current"):
            value = cells.get(name)
            if value is None or _text(value) == "":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                written = _text(value)
                amount = _amount(written)
                if amount is None:
                    why, hint = why_not_number(written)
                    self.problem(row.number, f"{name} {why} ({hint})")
                    return False
                value, sign = amount
                if sign is not None or number(written) is None:
                    self.read_with_units += 1
                if sign is not None:
                    kpi.setdefault("unit", sign)
            kpi[name] = value
        return kpi

    def _resolve(
        self, row: int, ref: str, ids: dict[str, _Row], by_title: dict[str, list[_Row]]
    ) -> _Row | bool | None:
        """The row a parent reference names: by id, else by title; False when ambiguous."""
        if ref in ids:
            return ids[ref]
        named = by_title.get(ref.casefold(), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            lines = ", ".join(str(r.number) for r in named)
            self.problem(row, f"parent {ref!r} is the title of several goals (rows {lines})")
            return False
        return None

    def _parents(
        self, goals: list[_Row], ids: dict[str, _Row], by_title: dict[str, list[_Row]]
    ) -> None:
        left_out: set[int] = set()
        for row in goals:
            links: list[tuple[_Row, float]] = []
            for ref, weight in split_supports(_text(row.cells.get("supports"))):
                found = self._resolve(row.number, ref, ids, by_title)
                if found is None:
                    self.problem(row.number, f"parent {ref!r} matches no goal")
                    left_out.add(row.number)
                    break
                if found is row:
                    self.problem(row.number, f"parent {ref!r} is the goal itself: link left out")
                elif isinstance(found, _Row):
                    links.append((found, weight))
            row.goal["_parents"] = links
        self._cycles(goals)
        # A goal left out takes its links with it: whoever supported it supports nothing.
        goals[:] = [row for row in goals if row.number not in left_out]
        for row in goals:
            row.goal["_parents"] = [
                (p, w) for p, w in row.goal["_parents"] if p.number not in left_out
            ]
        for ident in left_out_rows(ids, left_out):
            ids.pop(ident, None)

    def _cycles(self, goals: list[_Row]) -> None:
        """Every link that would close a cycle of parents, dropped and said (depth first,
        in row order, so the link found last in the sheet's order is the one dropped)."""
        state: dict[int, int] = {}  # row number -> 1 on the path, 2 done
        for start in goals:
            if start.number in state:
                continue
            state[start.number] = 1
            path = [start]
            stack = [iter(list(start.goal["_parents"]))]
            while stack:
                row = path[-1]
                for link in stack[-1]:
                    parent = link[0]
                    seen = state.get(parent.number)
                    if seen == 1:
                        row.goal["_parents"].remove(link)
                        around = path[path.index(parent) :]
                        rows = ", ".join(str(r.number) for r in around)
                        ref = parent.goal.get("id") or parent.goal["title"]
                        self.problem(
                            row.number,
                            f"parent {ref!r} would close a cycle (rows {rows}): link left out",
                        )
                    elif seen is None:
                        state[parent.number] = 1
                        path.append(parent)
                        stack.append(iter(list(parent.goal["_parents"])))
                        break
                else:
                    state[row.number] = 2
                    path.pop()
                    stack.pop()

    def _result(self, row: _Row, ids: dict[str, _Row], by_title: dict[str, list[_Row]]) -> None:
        refs = split_supports(_text(row.cells.get("supports")))
        if not refs:
            self.problem(row.number, "a key result without a parent goal")
            return
        parent = self._resolve(row.number, refs[0][0], ids, by_title)
        if not isinstance(parent, _Row) or not parent.goal:
            if parent is None:
                self.problem(row.number, f"parent {refs[0][0]!r} matches no goal")
            return
        name = _text(row.cells.get("kpi")) or _text(row.cells.get("title"))
        if not name:
            self.problem(row.number, "a key result without a name")
            return
        kpi = self._kpi(row, name)
        if kpi is False:
            return
        entry = kpi if isinstance(kpi, dict) else {"name": name}
        entry["name"] = name
        given = _text(row.cells.get("id"))
        if given and ID.fullmatch(given) and given not in self.taken:
            self.taken.add(given)
            entry = {"id": given, **entry}
        parent.goal.setdefault("kpis", []).append(entry)

    # -- where each goal goes ----------------------------------------------------------

    def _unique(self, wanted: str) -> str:
        ident, n = wanted, 1
        while ident in self.taken:
            n += 1
            ident = f"{wanted}-{n}"
        self.taken.add(ident)
        return ident

    def _units(self, goals: list[_Row]) -> dict[str, str]:
        """Departments, teams and people from the values in their columns."""
        out = self.out
        names: dict[tuple[str, str], str] = {}  # (kind, value) -> id
        homes: dict[str, str] = {}  # team id -> department id
        for row in goals:
            department = _text(row.cells.get("department"))
            team = _text(row.cells.get("team"))
            for kind, value in (("department", department), ("team", team)):
                if value and (kind, value) not in names:
                    names[(kind, value)] = self._unique(unit_id(value))
            if team and department:
                homes.setdefault(names[("team", team)], names[("department", department)])
        for (kind, value), ident in names.items():
            if kind == "department":
                out.departments[ident] = {"id": ident, "name": value, "goals": []}
        for (kind, value), ident in names.items():
            if kind != "team":
                continue
            if ident in homes:
                out.teams[ident] = {
                    "id": ident,
                    "name": value,
                    "department": homes[ident],
                    "goals": [],
                }
            else:
                out.departments[ident] = {"id": ident, "name": value, "goals": []}
                out.notes.append(f"team {value!r} has no department: made a department")
        return {f"{k}:{v}": i for (k, v), i in names.items()}

    def _person(self, value: str) -> str:
        known = self.people_by_value.get(value)
        if known is not None:
            return known
        ident = self.people_by_value[value] = self._unique(person_id(value))
        person: dict[str, Any] = {"id": ident, "name": value, "goals": []}
        if "@" in value:
            person["email"] = value
            person["name"] = value.split("@")[0]
        self.out.people[ident] = person
        return ident

    def _place(self, goals: list[_Row], ids: dict[str, _Row]) -> None:
        out = self.out
        units = self._units(goals)
        for row in goals:
            owner = _text(row.cells.get("owner"))
            if owner:
                row.goal["owner"] = self._person(owner.split(",")[0].strip())
        numbers: dict[str, int] = {}
        homes: list[tuple[_Row, str, str | None]] = []
        for row in goals:
            cells = row.cells
            department: str | None = units.get(f"department:{_text(cells.get('department'))}")
            team: str | None = units.get(f"team:{_text(cells.get('team'))}")
            if team is not None and team in out.departments:
                department, team = team, None
            level = LEVELS.get(normal(_text(row.cells.get("level"))))
            parents = row.goal["_parents"]
            person = row.goal.get("owner")
            if level == "objective" or (level is None and not parents):
                homes.append((row, "objective", None))
            elif level in (None, "team") and team is not None:
                homes.append((row, "team", team))
            elif level in (None, "team", "department") and department is not None:
                homes.append((row, "department", department))
            elif level in (None, "individual") and person is not None:
                homes.append((row, "individual", person))
            else:
                homes.append((row, "objective", None))
        for row, _, home in homes:
            if "id" not in row.goal:
                stem = (home or "OBJ").upper()
                numbers[stem] = numbers.get(stem, 0) + 1
                ident = f"{stem}-{numbers[stem]}"
                while ident in self.taken:
                    numbers[stem] += 1
                    ident = f"{stem}-{numbers[stem]}"
                self.taken.add(ident)
                row.goal["id"] = ident
        periods = self._periods(goals)
        for row, _, _ in homes:  # every goal has its id now: the links can name them
            links = row.goal["_parents"]
            if links:
                row.goal["supports"] = [
                    p.goal["id"] if w == 1 else {"goal": p.goal["id"], "weight": w}
                    for p, w in links
                ]
        for row, level, home in homes:
            goal = {k: v for k, v in row.goal.items() if k != "_parents"}
            period = periods.get(_text(row.cells.get("period")))
            if period:
                goal["period"] = period
            ordered = {key: goal[key] for key in GOAL_ORDER if key in goal}
            if level == "objective":
                out.objectives.append(ordered)
            elif level == "team":
                out.teams[home or ""]["goals"].append(ordered)
            elif level == "department":
                out.departments[home or ""]["goals"].append(ordered)
            else:
                out.people[home or ""]["goals"].append(ordered)

    def _periods(self, goals: list[_Row]) -> dict[str, str]:
        spans: dict[str, list[datetime.date]] = {}
        for row in goals:
            value = _text(row.cells.get("period"))
            if not value:
                continue
            days = spans.setdefault(value, [])
            days += [d for d in (row.goal.get("start"), row.goal.get("due")) if d is not None]
        found: dict[str, str] = {}
        for value, days in spans.items():
            if not days:
                self.out.notes.append(f"period {value!r} has no dated goal: left out")
                continue
            ident = self._unique(period_id(value))
            found[value] = ident
            self.out.periods.append({"id": ident, "start": min(days), "end": max(days)})
        return found


EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system)


def _serial(value: Value) -> datetime.date | None:
    """A date written as an Excel serial number (`46022` is 2025-12-31), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not re.fullmatch(r"\d{5}(\.0+)?", value.strip()):
            return None
        value = float(value)
    if isinstance(value, int | float) and 1 <= value < 2958466 and float(value).is_integer():
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


CURRENCY = "$€£¥"


def _amount(text: str) -> tuple[int | float, str | None] | None:
    """A number in a cell's text, with the unit written beside it: `12.5`, `15%`,
    `$1,200`, `1 200 €`; None when it is not one."""
    found = re.fullmatch(rf"([{CURRENCY}])?\s*([+-]?[\d.,\s]*\d)\s*(%|[{CURRENCY}])?", text.strip())
    if found is None or (found[1] and found[3]):
        return None
    digits = found[2]
    if re.fullmatch(r"[+-]?\d{1,3}([,\s]\d{3})+(\.\d+)?", digits):
        digits = re.sub(r"[,\s]", "", digits)
    value = number(digits)
    if value is None:
        return None
    return value, found[1] or found[3]


def left_out_rows(ids: dict[str, _Row], left_out: set[int]) -> list[str]:
    """The ids of rows that were left out (no longer a goal anything may name)."""
    return [ident for ident, row in ids.items() if row.number in left_out]


def from_sheets(sheets: list[Sheet], columns: dict[str, str], name: str) -> Imported:
    """The plan the sheets hold: cascade's own tables when they are, else the first sheet
    read through the aliases."""

    own = own_tables(sheets)
    if own:
        if "goals" not in own:
            found = ", ".join(sorted(own))
            raise CascadeError(
                f"{name}: cascade's own tables ({found}) without the goals table: export "
                "with --table all (or the workbook) to import them"
            )
        return from_own(own, name)
    out = Imported({"name": name})
    sheet = next((s for s in sheets if s.header), None)
    if sheet is None:
        raise CascadeError(f"{sheets[0].source if sheets else name}: an empty sheet")
    if not sheet.rows:
        raise CascadeError(f"{sheet.source}: only a header row, no goals to import")
    _Generic(sheet, columns, out).build()
    return out
