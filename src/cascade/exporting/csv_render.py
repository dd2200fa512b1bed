"""A table as CSV: UTF-8 without a byte-order mark, RFC 4180, `\\n` line ends, a header
row; plan text that a spreadsheet would run as a formula written with a leading `'`."""

from __future__ import annotations

import csv
import datetime
import io

from cascade.controls import show_controls
from cascade.exporting.model import Cell, Table

# What a spreadsheet takes as the start of a formula (or of a value it rewrites): text
# starting with one of them gets a leading `'`. Numbers are never escaped.
FORMULA_STARTS = ("=", "+", "-", "@", "'", "\t", "\r")


def text(value: str) -> str:
    """Plan text as a cell: control characters visible (`\\x1b`), as in every output, so
    none reaches a terminal the CSV is printed on; a leading `'` when it would start a
    formula."""
    value = show_controls(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value: Cell) -> str:
    """A cell's text: empty for None, `true`/`false`, `YYYY-MM-DD`, `31` or `0.25`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def render(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([cell(value) for value in row] for row in table.rows)
    return out.getvalue()
