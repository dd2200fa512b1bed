"""The tables as one workbook (XlsxWriter): a sheet per table, a bold frozen header row,
an autofilter, fitted widths, shares as percentages, dates as dates, status bands
coloured; text always a text cell (never a formula), with the CSV's leading `'` rule.

Byte-identical for the same tables and date: the workbook's created time (which is also
every zip entry's time) is the as-of date, and nothing else in it depends on the clock.
XlsxWriter is imported here only: nothing else of cascade needs it.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
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

    folder = tempfile.mkdtemp(prefix="cascade-export-")
    path = os.path.join(folder, "book.xlsx")
    options = {
        # Each row goes to a temporary file as it is written: a big plan's workbook is
        # millions of cells, and holding them all doubled the command's peak memory.
        "constant_memory": True,
        "tmpdir": folder,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    try:
        workbook = xlsxwriter.Workbook(path, options)
        _fill(workbook, tables, created)
        with open(path, "rb") as stream:
            return stream.read()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fill(workbook: Any, tables: list[Table], created: datetime.date) -> None:
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


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bottom": 1})
        self.percent = workbook.add_format({"num_format": "0%"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.bands = {
            band: workbook.add_format({"bg_color": colour}) for band, colour in BAND_COLOURS.items()
        }


def _sheet(sheet: Any, table: Table, formats: _Formats) -> None:
    """One table as one sheet. The loop binds the sheet's writers once: a workbook of a
    big plan has millions of cells, and XlsxWriter's own work is most of each one."""
    columns = table.columns
    widths = [len(column) for column in columns]
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column, formats.header)
    write_string, write_number = sheet.write_string, sheet.write_number
    shares = [column in PERCENT for column in columns]
    bands = columns.index("status_band") if "status_band" in columns else -1
    for number, row in enumerate(table.rows, start=1):
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                shown = "true" if value else "false"
                write_string(number, index, shown)
            elif isinstance(value, int | float):
                if shares[index]:
                    write_number(number, index, value, formats.percent)
                    shown = "100%"
                else:
                    write_number(number, index, value)
                    shown = f"{value:g}"
            elif isinstance(value, datetime.date):
                day = datetime.datetime(value.year, value.month, value.day)
                sheet.write_datetime(number, index, day, formats.date)
                shown = "yyyy-mm-dd"
            else:
                shown = text(value)
                band = formats.bands.get(shown) if index == bands else None
                write_string(number, index, shown, band)
            if len(shown) > widths[index]:
                widths[index] = len(shown)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, min(width, WIDTH_LIMIT) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(columns) - 1)
