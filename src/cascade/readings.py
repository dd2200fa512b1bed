"""Readings: every KPI's measurements, from its YAML (`history`, `current` with `as_of`,
a milestone's `done`) and from the CSV files of the readings folder, and its value at a date.

The one place that knows what a reading is. CSV files are read with the `csv` module; a
bad cell is a diagnostic at `file:LINE:COLUMN` (the cell's first character, its quote
when quoted), a row with a bad required cell is left out and the rest are read. Positions
are worked out only for the cells a diagnostic points at.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import difflib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cascade.diagnostics import SCHEMA, Diagnostic, Location, error
from cascade.errors import CascadeError
from cascade.model import Kpi, Plan
from cascade.sources import ReadingsFile

UNKNOWN_REFERENCE = ("CAS005", "unknown-reference")
HEADER = ("kpi", "date", "value", "note", "confidence", "by")
REQUIRED = ("kpi", "date", "value")
MILESTONE_VALUES = {"1": 1, "true": 1, "done": 1, "0": 0, "false": 0, "not done": 0}
# The number forms a reading may take: what a spreadsheet writes, no more (no `nan`,
# `inf`, `1_000` or thousands separators, which `float()` or a locale would read).
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
HELP_ENCODING = "save it as CSV UTF-8 (comma-separated)"


class Reading(NamedTuple):
    """One measurement of a KPI. A CSV row's reading knows its `date` cell (`cell`: the
    file's cells, the row's line and the column's index; `where` turns it into a place
    only when a finding needs one); a reading from the YAML has `path`, its key path
    inside the KPI (`("history", 2, "date")`). A named tuple: a readings file makes one
    per row, and a tuple is made several times quicker than a frozen dataclass."""

    date: datetime.date | None
    value: float
    note: str | None = None
    confidence: float | None = None
    by: str | None = None
    cell: tuple[_Cells, int, int] | None = None
    path: tuple[Any, ...] = ()

    @property
    def where(self) -> Location | None:
        """The `date` cell of a CSV row, or None for a reading from the YAML."""
        if self.cell is None:
            return None
        cells, line, index = self.cell
        return cells.at(line, index)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two readings of one KPI on one date with different values: `later` is used."""

    kpi: Kpi
    earlier: Reading
    later: Reading


@dataclass(slots=True)
class _Series:
    """A KPI's dated readings by date (one per date: the later wins), its undated one, and
    the pairs on one date that disagree (found in the same pass)."""

    dates: list[datetime.date]
    readings: list[Reading]
    undated: Reading | None
    clashes: list[tuple[Reading, Reading]]


def number(text: str) -> int | float | None:
    """A reading's number as written (`31` stays an int), or None when it is not one."""
    if not NUMBER.fullmatch(text):
        return None
    if "." in text or "e" in text or "E" in text:
        value = float(text)
        return value if abs(value) < 1e300 else None
    return int(text)


def milestone_value(text: str) -> int | None:
    """1 (done) or 0 (not done) for the milestone words in any case, else None."""
    return MILESTONE_VALUES.get(" ".join(text.lower().split()))


def why_not_number(text: str) -> tuple[str, str]:
    """(message, hint) for a value that is not a number, naming the likely mistake."""
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        plain = text.replace(",", "")
        return f"{text!r} is not a number: it has thousands separators", f"write {plain}"
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        return (
            f"{text!r} is not a number: the decimal mark is a comma",
            f"write {text.replace(',', '.')}",
        )
    if re.search(r"\d", text) and re.search(r"[%$€£¥]|[A-Za-z]", text):
        return (
            f"{text!r} is not a number: it holds a unit or a sign beside the digits",
            "write the number alone; the KPI's `unit` says what it counts",
        )
    return f"{text!r} is not a number", "write a number such as 31 or 0.25"


def why_not_date(text: str) -> tuple[str, str]:
    """(message, hint) for a date that is not `YYYY-MM-DD`."""
    if DATE.fullmatch(text):
        return f"{text!r} is not a calendar date", "write a real date as YYYY-MM-DD"
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text):
        return (
            f"{text!r} is not a date cascade reads: the date must be YYYY-MM-DD",
            "write the date as YYYY-MM-DD (12/07/2026 could be July or December)",
        )
    return f"{text!r} is not a date: the date must be YYYY-MM-DD", "write e.g. 2026-12-07"


def parse_date(text: str) -> datetime.date | None:
    if not DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


class _Cells:
    """Where each cell of a file starts, found by scanning the text only when asked."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._starts: list[int] | None = None

    def at(self, line: int, index: int) -> Location:
        """The location of cell `index` (0-based) of the record starting on `line`."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
        starts = self._starts
        if line - 1 >= len(starts):
            return Location(self.name, line, 1)
        offset = starts[line - 1]
        text, quoted, cell = self.text, False, 0
        while cell < index and offset < len(text):
            char = text[offset]
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                cell += 1
            offset += 1
        found = bisect.bisect_right(starts, offset) - 1
        return Location(self.name, found + 1, offset - starts[found] + 1)


@dataclass
class Readings:
    """Every KPI's readings, from the YAML and the readings files, and the problems found
    in those files. Built once per plan; a KPI's series is put together on first use."""

    plan: Plan
    files: Sequence[ReadingsFile] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows: dict[str, list[Reading]] = field(default_factory=dict)  # CSV readings by KPI
    _series: dict[str, _Series] = field(default_factory=dict)
    _kpis: dict[str, Kpi] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.files:
            return
        self._kpis = {kpi.key: kpi for kpi in self.plan.kpis()}
        self._people = {person.id for person in self.plan.people}
        self._kpi_names = _Names(self._kpis)
        self._person_names = _Names(self._people)
        self._dates: dict[str, datetime.date] = {}  # a file has few distinct dates
        for file in self.files:
            self._read(file)

    @property
    def names(self) -> list[str]:
        """The readings files read, as display paths."""
        return [file.name for file in self.files]

    # -- the YAML and the CSV rows of one KPI, put together ------------------------------

    def series(self, kpi: Kpi) -> _Series:
        key = kpi.key
        found = self._series.get(key)
        if found is None:
            found = self._series[key] = _build(list(self._all(kpi)))
        return found

    def _all(self, kpi: Kpi) -> Iterator[Reading]:
        """A KPI's readings in the spec's order: history, current with as_of, CSV rows."""
        yield from yaml_readings(kpi)
        yield from self.rows.get(kpi.key, ())

    def at(self, kpi: Kpi, day: datetime.date) -> Reading | None:
        """The KPI's reading at `day`: its latest dated on or before it, else its undated
        one (a `current` without `as_of`), else None."""
        series = self.series(kpi)
        index = bisect.bisect_right(series.dates, day)
        if index:
            return series.readings[index - 1]
        return series.undated

    def known(self, kpi: Kpi, day: datetime.date) -> list[Reading]:
        """The KPI's dated readings on or before `day`, oldest first (one per date)."""
        series = self.series(kpi)
        return series.readings[: bisect.bisect_right(series.dates, day)]

    def conflicts(self) -> Iterator[Conflict]:
        """Every two readings of one KPI on one date with different values."""
        rows = self.rows
        for kpi in self.plan.kpis():
            found = rows.get(kpi.key)
            if not kpi.history and found is None:
                continue
            # Two readings on one date are rare: look at the dates alone first, so that a
            # KPI without any is never put together here (the rules that need its series
            # may well run in the other process).
            dates: list[datetime.date | None] = [check.date for check in kpi.history]
            if kpi.as_of is not None:
                dates.append(kpi.as_of)
            if found is not None:
                dates.extend(reading.date for reading in found)
            if len(set(dates)) == len(dates):
                continue
            for earlier, later in self.series(kpi).clashes:
                yield Conflict(kpi, earlier, later)

    # -- reading a CSV file ------------------------------------------------------------

    def _problem(self, code: tuple[str, str], message: str, where: Location, hint: str) -> None:
        self.diagnostics.append(error(code, message, where, hint=hint))

    def _read(self, file: ReadingsFile) -> None:
        text = self._decode(file)
        if text is None:
            return
        cells = _Cells(file.name, text)
        reader = csv.reader(io.StringIO(text, newline=""), strict=False)
        try:
            header = next(reader, None)
            while header is not None and not any(h.strip() for h in header):
                header = next(reader, None)  # blank lines before the header
            if header is None:
                return  # an empty file holds no readings
            columns = self._columns(file.name, header, reader.line_num)
            if columns is None:
                return
            self._rows(cells, reader, columns)
        except csv.Error as exc:
            where = Location(file.name, reader.line_num or 1, 1)
            self._problem(SCHEMA, f"cannot read this CSV row: {exc}", where, HELP_ENCODING)

    def _decode(self, file: ReadingsFile) -> str | None:
        raw = file.raw
        where = Location(file.name, 1, 1)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            self._problem(SCHEMA, "this readings file is UTF-16, not UTF-8", where, HELP_ENCODING)
            return None
        if b"\x00" in raw[:65536] or b"\x00" in raw:
            message = "this readings file is binary, not CSV text (it holds NUL bytes)"
            self._problem(SCHEMA, message, where, HELP_ENCODING)
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            message = f"this readings file is not UTF-8 (byte 0x{raw[exc.start]:02x})"
            self._problem(SCHEMA, message, Location(file.name, line, column), HELP_ENCODING)
            return None

    def _columns(self, name: str, header: list[str], line: int) -> dict[str, int] | None:
        """Column name -> index (the first of a repeated name); None, with a diagnostic,
        when a required column is missing."""
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            columns.setdefault(cell.strip().lower(), index)
        missing = [c for c in REQUIRED if c not in columns]
        if not missing:
            return columns
        where = Location(name, line, 1)
        joined = ",".join(header)
        for separator, label in ((";", "semicolon"), ("\t", "tab")):
            if len(header) == 1 and separator in joined:
                message = (
                    f"this readings file looks {label}-separated: cascade reads "
                    "comma-separated files"
                )
                self._problem(SCHEMA, message, where, HELP_ENCODING)
                return None
        names = ", ".join(f"`{c}`" for c in missing)
        has = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        message = f"this readings file has no {names} column{'s' if len(missing) > 1 else ''}"
        self._problem(
            SCHEMA,
            f"{message} (its header: {has})",
            where,
            "the header row needs kpi, date and value; note, confidence and by are optional",
        )
        return None

    def _rows(self, cells: _Cells, reader: Any, columns: dict[str, int]) -> None:
        """Every row after the header: the quick way for a good row (nearly every row of a
        file a program wrote), `_bad_row` with a finding for each bad cell for the rest.
        One loop over local names: a readings file has a hundred thousand rows."""
        kpi_at, date_at, value_at = columns["kpi"], columns["date"], columns["value"]
        note_at, confidence_at, by_at = (columns.get(c) for c in ("note", "confidence", "by"))
        kpis, dates, rows, is_number = self._kpis, self._dates, self.rows, NUMBER.fullmatch
        line = reader.line_num + 1
        for row in reader:
            width = len(row)
            # A blank line, or a row of empty cells (`,,,` from a spreadsheet): skipped.
            if not row or not (row[0].strip() or "".join(row).strip()):
                line = reader.line_num + 1
                continue
            ident = row[kpi_at].strip() if kpi_at < width else ""
            day_text = row[date_at].strip() if date_at < width else ""
            value_text = row[value_at].strip() if value_at < width else ""
            kpi = kpis.get(ident)
            day = dates.get(day_text)
            if day is None:
                day = parse_date(day_text)
                if day is not None:
                    dates[day_text] = day
            value: int | float | None = None
            if kpi is not None and value_text:
                if kpi.kind == "milestone":
                    value = milestone_value(value_text)
                elif is_number(value_text):  # most rows: a number, checked without a call
                    value = number(value_text)
            if kpi is None or day is None or value is None:
                self._bad_row(cells, line, kpi, (ident, day_text, value_text), columns)
                line = reader.line_num + 1
                continue
            note = confidence = by = None
            if note_at is not None and note_at < width:
                note = row[note_at].strip() or None
            if confidence_at is not None and confidence_at < width:
                text = row[confidence_at].strip()
                if text:
                    confidence = self._confidence(text, cells, line, confidence_at)
            if by_at is not None and by_at < width:
                text = row[by_at].strip()
                if text:
                    by = self._by(text, cells, line, by_at)
            found = rows.get(ident)  # the KPI's id: it was found by it
            if found is None:
                found = rows[ident] = []
            found.append(Reading(day, value, note, confidence, by, (cells, line, date_at)))
            line = reader.line_num + 1

    def _bad_row(
        self,
        cells: _Cells,
        line: int,
        kpi: Kpi | None,
        texts: tuple[str, str, str],
        columns: dict[str, int],
    ) -> None:
        """A finding at each bad required cell of a row that is left out."""

        def at(name: str) -> Location:
            return cells.at(line, columns[name])

        ident, day_text, value_text = texts
        if kpi is None:
            if not ident:
                self._problem(SCHEMA, "this reading names no KPI", at("kpi"), "write a KPI id")
            else:
                near = self._kpi_names.near(ident)
                hint = f"did you mean {near!r}?" if near else "write the id of a KPI of the plan"
                message = f"reading of KPI {ident!r}, which is not defined"
                self._problem(UNKNOWN_REFERENCE, message, at("kpi"), hint)
        if parse_date(day_text) is None:
            if day_text:
                self._problem(SCHEMA, *_swap(why_not_date(day_text), at("date")))
            else:
                self._problem(SCHEMA, "this reading has no date", at("date"), "write YYYY-MM-DD")
        if not value_text:
            self._problem(SCHEMA, "this reading has no value", at("value"), "write the value")
        elif kpi is not None and kpi.kind == "milestone":
            if milestone_value(value_text) is None:
                message = f"{value_text!r} is not a milestone value"
                hint = "write done, not done, true, false, 1 or 0"
                self._problem(SCHEMA, message, at("value"), hint)
        elif number(value_text) is None:
            self._problem(SCHEMA, *_swap(why_not_number(value_text), at("value")))

    def _confidence(self, text: str, cells: _Cells, line: int, index: int) -> float | None:
        value = number(text)
        if value is None or not 0 <= value <= 1:
            message = f"confidence {text!r} is not a number from 0 to 1"
            hint = "write e.g. 0.7, or leave it empty"
            self._problem(SCHEMA, message, cells.at(line, index), hint)
            return None
        return float(value)

    def _by(self, text: str, cells: _Cells, line: int, index: int) -> str | None:
        if text in self._people:
            return text
        near = self._person_names.near(text)
        hint = f"did you mean {near!r}?" if near else "write the id of a person of the plan"
        message = f"reading by {text!r}, who is not a person of the plan"
        self._problem(UNKNOWN_REFERENCE, message, cells.at(line, index), hint)
        return None


def with_row(existing: bytes | None, cells: dict[str, str]) -> bytes:
    """`existing` (a readings file's bytes, or None for a new file) with one row more: a
    cell for every column of its header (empty when `cells` has none for it), quoted as
    RFC 4180 says, ending as the file's lines end; the bytes already there kept exactly.
    A `CascadeError` when the file cannot take the row."""
    if existing is None or not existing.strip():
        head = (existing or b"") + (",".join(HEADER) + "\n").encode("utf-8")
        header, ending = list(HEADER), "\n"
    else:
        head = existing
        try:
            text = existing.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CascadeError("it is not UTF-8 text: save it as CSV UTF-8") from None
        if "\x00" in text:
            raise CascadeError("it is a binary file, not CSV text")
        first = next(csv.reader(io.StringIO(text, newline="")), [])
        header = [name.strip().lower() for name in first]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise CascadeError(f"its header has no {', '.join(missing)} column")
        found = LINE_BREAK.search(text)
        ending = found.group() if found else "\n"
        if not existing.endswith((b"\n", b"\r")):
            head += ending.encode("ascii")  # the last line gets its line break first
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerow([cells.get(name, "") for name in header])
    return head + out.getvalue().encode("utf-8")


def _swap(found: tuple[str, str], where: Location) -> tuple[str, Location, str]:
    return found[0], where, found[1]


def suggest(ident: str, known: Iterable[str]) -> str | None:
    """The id `ident` most likely meant: the same but for case, else a near miss, else (for
    a KPI id, `GOAL.name`) the nearest KPI of the same goal."""
    return _Names(known).near(ident)


class _Names:
    """Ids to suggest from, indexed once: a readings file for another plan names thousands
    of unknown KPIs, and each suggestion must not walk every id of a big plan."""

    LIMIT = 200  # distinct unknown ids given a "did you mean"; the rest a plain hint

    def __init__(self, known: Iterable[str]) -> None:
        self.folded = {k.casefold(): k for k in known}
        self.by_length: dict[int, list[str]] = {}
        self.by_goal: dict[str, list[str]] = {}
        for ident in self.folded.values():
            self.by_length.setdefault(len(ident), []).append(ident)
            self.by_goal.setdefault(ident.partition(".")[0], []).append(ident)
        self.found: dict[str, str | None] = {}

    def near(self, ident: str) -> str | None:
        if ident in self.found:
            return self.found[ident]
        if len(self.found) >= self.LIMIT:
            return None
        self.found[ident] = answer = self._near(ident)
        return answer

    def _near(self, ident: str) -> str | None:
        if ident.casefold() in self.folded:
            return self.folded[ident.casefold()]
        # Only ids of about its length: difflib is quadratic, and a big plan has many.
        near = [k for n in range(len(ident) - 3, len(ident) + 4) for k in self.by_length.get(n, ())]
        matches = difflib.get_close_matches(ident, near, n=1, cutoff=0.75)
        if matches:
            return matches[0]
        goal, dot, _ = ident.partition(".")
        if dot:
            siblings = self.by_goal.get(goal, [])
            matches = difflib.get_close_matches(ident, siblings, n=1, cutoff=0.5)
            if matches:
                return matches[0]
        return None


def yaml_readings(kpi: Kpi) -> Iterator[Reading]:
    """The readings a KPI's YAML holds: its `history`, then its `current` (a milestone's
    `done`) with `as_of`, undated without it."""
    for index, check in enumerate(kpi.history):
        yield Reading(
            check.date,
            float(check.value) if isinstance(check.value, bool) else check.value,
            check.note,
            check.confidence,
            check.by,
            path=("history", index, "date"),
        )
    if kpi.kind == "milestone":
        if kpi.done is not None:
            yield Reading(kpi.as_of, 1 if kpi.done else 0, path=("as_of",) if kpi.as_of else ())
    elif kpi.current is not None:
        yield Reading(kpi.as_of, kpi.current, path=("as_of",) if kpi.as_of else ("current",))


def _build(readings: list[Reading]) -> _Series:
    undated: Reading | None = None
    by_date: dict[datetime.date, Reading] = {}
    clashes: list[tuple[Reading, Reading]] = []
    for reading in readings:
        day = reading.date
        if day is None:
            undated = reading
            continue
        before = by_date.get(day)
        # Compared as numbers: 10 and 10.0 are one value.
        if before is not None and float(before.value) != float(reading.value):
            clashes.append((before, reading))
        by_date[day] = reading  # the later of two on one date is used
    dates = sorted(by_date)  # nearly always in order already: a linear pass
    return _Series(dates, [by_date[d] for d in dates], undated, clashes)
