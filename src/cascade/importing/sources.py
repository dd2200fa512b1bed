"""What `cascade import` reads: a workbook, a CSV file or a folder of cascade's CSV tables,
as sheets of rows numbered as a spreadsheet numbers them (the header is row 1).

A workbook is looked at as a zip before any of it is unpacked: one that would unpack to
more than 1 GB, or holds a member larger than 10 MB compressed more than 200 to 1, is
refused. Formulas are never evaluated: python-calamine reads the values the workbook
cached (ten times as fast as openpyxl, which a 10,000-person export needs). A
merged range reads as its first cell's value in every cell it covers, as a reader sees it
(a department written once beside the rows of its goals belongs to each of them).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cascade.errors import CascadeError

MAX_UNPACKED = 1_000_000_000
MAX_MEMBER = 10_000_000
MAX_RATIO = 200
Value = str | int | float | bool | datetime.date | None


@dataclass
class Sheet:
    """One sheet: its name for messages (`okrs.xlsx[Sheet1]`, `okrs.csv`), its header and
    its rows, each with its spreadsheet row number."""

    source: str
    name: str
    header: list[str]
    rows: list[tuple[int, list[Value]]] = field(default_factory=list)


def read(path: Path, sheet: str | None) -> list[Sheet]:
    """Every sheet the source holds that import should look at."""
    if path.is_dir():
        return _folder(path)
    if not path.is_file():
        raise CascadeError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_csv(path.name, path.name, _bytes(path))]
    if suffix in (".xlsx", ".xlsm"):
        return _workbook(path, sheet)
    raise CascadeError(f"{path}: not a workbook (.xlsx), a CSV file or a folder of CSV tables")


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CascadeError(f"cannot read {path}: {exc.strerror or exc}") from None


def _folder(path: Path) -> list[Sheet]:
    found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not found:
        raise CascadeError(f"{path}: no CSV tables (*.csv) in the folder")
    return [_csv(f"{path.name}/{p.name}", p.stem, _bytes(p)) for p in found]


def _csv(source: str, name: str, raw: bytes) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CascadeError(f"{source}: not UTF-8 text: save it as CSV UTF-8") from None
    if "\x00" in text:
        raise CascadeError(f"{source}: a binary file, not CSV text")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise CascadeError(f"{source}: cannot read it as CSV: {exc}") from None
    return _sheet(source, name, [[cell for cell in row] for row in rows])


def _delimiter(text: str) -> str:
    """`,`, else `;` (Excel's CSV where the decimal mark is a comma) or a tab, whichever
    the header line holds most of: the header names fields, so it always has several."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {mark: header.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] > counts[","] else ","


def _sheet(source: str, name: str, rows: list[list[Any]]) -> Sheet:
    """A sheet from its rows: the first non-empty row is the header."""
    numbered = [(n, row) for n, row in enumerate(rows, start=1)]
    while numbered and not any(_filled(v) for v in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        return Sheet(source, name, [])
    header = [str(v).strip() if v is not None else "" for v in numbered[0][1]]
    body = [(n, list(row)) for n, row in numbered[1:] if any(_filled(v) for v in row)]
    return Sheet(source, name, header, body)


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _workbook(path: Path, wanted: str | None) -> list[Sheet]:
    _check_zip(path)
    from python_calamine import CalamineWorkbook

    from cascade.exporting.model import SHEETS

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except BaseException as exc:  # a corrupt workbook: whatever its parser meets
        _reraise_interrupt(exc)
        raise CascadeError(f"{path.name}: cannot read the workbook: {exc}") from None
    # The gaps and the matrix are worked out from the plan: never read back.
    own = {SHEETS[name].casefold() for name in SHEETS if name not in ("gaps", "matrix")}
    if wanted is not None:
        chosen = [n for n in names if n == wanted] or [
            n for n in names if n.casefold() == wanted.casefold()
        ]
        if not chosen:
            raise CascadeError(f"{path.name}: no sheet {wanted!r} (it has {', '.join(names)})")
    elif any(n.casefold() in own for n in names):
        chosen = [n for n in names if n.casefold() in own]
    else:
        chosen = names[:1]
    sheets = []
    for name in chosen:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = list(sheet.merged_cell_ranges or [])
        except BaseException as exc:
            _reraise_interrupt(exc)
            raise CascadeError(f"{path.name}[{name}]: cannot read the sheet: {exc}") from None
        _unmerge(merged, rows)
        sheets.append(_sheet(f"{path.name}[{name}]", name, rows))
    return sheets


def _reraise_interrupt(exc: BaseException) -> None:
    """The reader's own failures are messages (a Rust panic arrives as a BaseException);
    Ctrl-C and exits stay what they are."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
        raise exc


Range = tuple[tuple[int, int], tuple[int, int]]  # (first row, column), (last row, column)


def _unmerge(merged: list[Range], rows: list[list[Value]]) -> None:
    """Every cell of a merged range given its first cell's value, as a reader sees it."""
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for row in rows[top : bottom + 1]:
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            for column in range(left, right + 1):
                row[column] = value


def _cell(value: Any) -> Value:
    """A workbook value as the sheet shows it: empty as None, a whole number as an int,
    a date-time as its day."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str | int | float | bool | datetime.date):
        return value
    return str(value)


def _check_zip(path: Path) -> None:
    """Refuse a workbook that is not a zip, or would unpack far beyond its size."""
    try:
        with path.open("rb") as file:
            start = file.read(8)
    except OSError as exc:
        raise CascadeError(f"cannot read {path}: {exc.strerror or exc}") from None
    if start == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE2 file: encrypted, or .xls
        raise CascadeError(
            f"{path.name}: a password-protected workbook or an old .xls file: open it in "
            "your spreadsheet program and save it as .xlsx without a password"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise CascadeError(
            f"{path.name}: not a workbook (.xlsx is a zip file, and this is not one)"
        ) from None
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED:
        raise CascadeError(f"{path.name}: refused: it would unpack to {total:,} bytes")
    for member in members:
        if member.file_size > MAX_MEMBER and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise CascadeError(
                f"{path.name}: refused: {member.filename} unpacks {member.file_size:,} bytes "
                f"from {member.compress_size:,}"
            )
