"""The tables as one workbook (XlsxWriter): a sheet per table, a bold frozen header row,
an autofilter, fitted widths, shares as percentages, dates as dates, status bands
coloured; text always a text cell (never a formula), with the CSV's leading `'` rule.

Byte-identical for the same tables and date: the workbook's created time (which is also
every zip entry's time) is the as-of date, and nothing else in it depends on the clock.
XlsxWriter is imported here only: nothing else of cascade needs it.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from cascade.exporting.csv_render import text
from cascade.exporting.model import PERCENT, Table

WIDTH_LIMIT = 60  # characters: a long description wraps in its cell instead
BAND_COLOURS = {
    "on_track": "#C6EFCE",
    "at_risk": "#FFEB9C",
    "off_track": "#FFC7CE",
    "unknown": "#EDEDED",
}


def render(tables: list[Table], created: datetime.date) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties(
        {
            "title": "cascade export",
            "created": datetime.datetime(created.year, created.month, created.day),
        }
    )
    formats = _Formats(workbook)
    for table in tables:
        _sheet(workbook.add_worksheet(table.sheet), table, formats)
    workbook.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bottom": 1})
        self.percent = workbook.add_format({"num_format": "0%"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.bands = {
            band: workbook.add_format({"bg_color": colour}) for band, colour in BAND_COLOURS.items()
        }


def _sheet(sheet: Any, table: Table, formats: _Formats) -> None:
    widths = [len(column) for column in table.columns]
    for index, column in enumerate(table.columns):
        sheet.write_string(0, index, column, formats.header)
    for number, row in enumerate(table.rows, start=1):
        for index, value in enumerate(row):
            column = table.columns[index]
            shown = _write(sheet, number, index, column, value, formats)
            widths[index] = max(widths[index], min(len(shown), WIDTH_LIMIT))
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)


def _write(sheet: Any, row: int, col: int, column: str, value: Any, formats: _Formats) -> str:
    """Write one cell as its kind of cell; the text a reader sees, for the column width."""
    if value is None:
        return ""
    if isinstance(value, bool):
        shown = "true" if value else "false"
        sheet.write_string(row, col, shown)
        return shown
    if isinstance(value, int | float):
        if column in PERCENT:
            sheet.write_number(row, col, value, formats.percent)
            return f"{value:.0%}"
        sheet.write_number(row, col, value)
        return f"{value:g}"
    if isinstance(value, datetime.date):
        sheet.write_datetime(
            row, col, datetime.datetime(value.year, value.month, value.day), formats.date
        )
        return "yyyy-mm-dd"
    shown = text(str(value))
    band = formats.bands.get(shown) if column == "status_band" else None
    sheet.write_string(row, col, shown, band)
    return shown
